/** An Adaptive Card as JSON, as the templates expand it and the Bot Framework sends it. */
export type CardJson = Record<string, unknown>;
