// Kubernetes Secret encryption with KMS on Alibaba Cloud ACK Pro, secure by default: the ack-kms components for every Pulumi language.
package ackkms
