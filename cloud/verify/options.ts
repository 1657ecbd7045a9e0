// What `runVerifyChecks` is asked: the cluster, where to look and with which credentials.
import { CloudCredentials } from "../credentials";

export interface VerifyEndpoints {
    cs?: string;
    kms?: string;
    actiontrail?: string;
    ram?: string;
}

export interface VerifyOptions {
    clusterId: string;
    regionId: string;
    /** ActionTrail events are looked up from this time on. */
    since: Date;
    credentials: CloudCredentials;
    endpoints?: VerifyEndpoints;
    timeoutMs?: number;
    /** At most this many custom RAM policies are read for the deny check. Defaults to 200. */
    maxPoliciesRead?: number;
    now?: () => Date;
}
