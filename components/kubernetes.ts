// @pulumi/kubernetes is loaded when a stack first declares a Kubernetes resource, not on import:
// it takes about 40 ms to load, and only stacks that re-encrypt Secrets use it.
import type * as k8s from "@pulumi/kubernetes";

export function kubernetes(): typeof k8s {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("@pulumi/kubernetes") as typeof k8s;
}
