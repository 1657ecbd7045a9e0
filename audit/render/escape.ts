// Text from the cloud (cluster names, policy names, API messages) goes into terminals and HTML:
// control characters are shown, never sent, and HTML gets every special character escaped.

/** Control characters (ANSI escapes included) as \u escapes, so a name cannot repaint a terminal. */
export function printable(text: string): string {
    return text.replace(
        /[\u0000-\u001f\u007f-\u009f]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
}

const htmlEntities: Record<string, string> = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
};

export function escapeHtml(text: string): string {
    return printable(text).replace(/[&<>"']/g, (c) => htmlEntities[c]);
}
