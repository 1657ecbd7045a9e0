// The resources a property of a resource is computed from: how RAM resources are linked in preview,
// while the names that would link them are unknown.
import { PolicyResource } from "@pulumi/policy";

export function propertyDependenciesOf(
    resource: PolicyResource,
    property: string,
): PolicyResource[] {
    return (
        (resource.propertyDependencies as Record<string, PolicyResource[] | undefined>)[property] ??
        []
    );
}
