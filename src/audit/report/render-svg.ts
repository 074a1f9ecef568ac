import type { TopLevelSpec } from 'vega-lite/build/index';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite/build/index');

/**
 * vega and vega-lite are ES modules with top-level await, which require()
 * cannot load; under "module": "commonjs" TypeScript turns import() into
 * require(), so the import is made where the compiler does not rewrite it.
 */
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- a constant dynamic import of an ES module, not evaluated input
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

let libraries: Promise<{ vega: Vega; vegaLite: VegaLite }> | undefined;

function load(): Promise<{ vega: Vega; vegaLite: VegaLite }> {
  libraries ??= Promise.all([importModule('vega') as Promise<Vega>, importModule('vega-lite') as Promise<VegaLite>]).then(
    ([vega, vegaLite]) => ({ vega, vegaLite }),
  );
  return libraries;
}

/** Renders a Vega-Lite chart to an SVG document in Node (no browser, no canvas). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { vega, vegaLite } = await load();
  const compiled = vegaLite.compile(spec).spec;
  // The charts carry their data inline; a loader that refuses everything keeps rendering offline.
  const loader = vega.loader();
  loader.load = () => Promise.reject(new Error('report charts load no external data'));
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
