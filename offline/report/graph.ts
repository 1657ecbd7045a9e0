// A graph of the plan: resources (parent -> child edges, as the tree) and the Secret-encryption
// bindings (cluster -> key, guard -> key), as Graphviz DOT, rendered to SVG with the WebAssembly
// build of Graphviz (@hpcc-js/wasm-graphviz), so no native tool is needed.
import { PlanReport } from "./model";

export function renderDot(report: PlanReport): string {
    const lines = [
        `digraph "${escape(`${report.project}/${report.stack}`)}" {`,
        `    rankdir=LR;`,
        `    node [shape=box, style="rounded,filled", fillcolor="#f5f5f5", fontname="Helvetica", fontsize=10];`,
        `    edge [fontname="Helvetica", fontsize=9];`,
    ];
    const ids = new Map<string, string>();
    report.resources.forEach((resource, index) => {
        const id = `r${index}`;
        ids.set(resource.urn, id);
        const flags = [
            resource.protect ? "protect" : "",
            resource.retainOnDelete ? "retainOnDelete" : "",
        ].filter(Boolean);
        const label = [resource.type, resource.name, flags.length ? `[${flags.join(", ")}]` : ""]
            .filter(Boolean)
            .map(escape)
            .join("\\n");
        const fill = resource.boundKey
            ? "#dbe9ff"
            : report.bindings.some((b) => b.keyUrn === resource.urn)
              ? "#ffe3c4"
              : resource.defaultProvider || resource.type === "pulumi:pulumi:Stack"
                ? "#ffffff"
                : "#f5f5f5";
        lines.push(`    ${id} [label="${label}", fillcolor="${fill}"];`);
    });
    for (const resource of report.resources) {
        if (resource.parent && ids.has(resource.parent)) {
            lines.push(
                `    ${ids.get(resource.parent)} -> ${ids.get(resource.urn)} [color="#bbbbbb", arrowhead=none, style=dashed];`,
            );
        }
    }
    report.bindings.forEach((binding, index) => {
        const cluster = ids.get(binding.clusterUrn);
        let key = binding.keyUrn ? ids.get(binding.keyUrn) : undefined;
        const keyName = binding.keyUrn
            ? (report.resources.find((r) => r.urn === binding.keyUrn)?.name ?? binding.keyUrn)
            : (binding.keyId ?? "unknown key");
        if (!key) {
            key = `k${index}`;
            lines.push(
                `    ${key} [label="${escape(`KMS key ${keyName}`)}\\n(not in this stack)", style="dashed,rounded", fillcolor="#ffffff"];`,
            );
        }
        lines.push(
            `    ${cluster} -> ${key} [label="${escape(`Secrets encrypted with ${keyName}`)}", color="#c62828", penwidth=2];`,
        );
        for (const guard of binding.guardUrns) {
            if (ids.has(guard)) {
                lines.push(
                    `    ${ids.get(guard)} -> ${key} [label="guards deletion", color="#1565c0"];`,
                );
            }
        }
    });
    lines.push("}");
    return `${lines.join("\n")}\n`;
}

export async function renderSvg(report: PlanReport): Promise<string> {
    const { Graphviz } = await import("@hpcc-js/wasm-graphviz");
    const graphviz = await Graphviz.load();
    return graphviz.dot(renderDot(report), "svg");
}

function escape(text: string): string {
    return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}
