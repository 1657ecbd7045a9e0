// The ack-kms-policies pack: builds the PolicyPack from the policy modules, nothing else.
// Type tokens are matched as strings (policy/facts.ts), so the pack starts without loading a
// provider SDK.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("ack-kms-policies", { policies });
