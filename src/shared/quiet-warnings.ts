// Imported first by the entry point. restify loads spdy, whose http-deceiver
// calls process.binding('http_parser') at load time; Node then prints DEP0111
// on every start. Only that warning (by code and text) is dropped: every
// other warning still prints.
const emitWarning = process.emitWarning.bind(process);

function warningCode(args: unknown[]): unknown {
  const [, second, third] = args;
  if (typeof second === 'object' && second !== null) return (second as { code?: unknown }).code;
  return third;
}

process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
  if (warningCode([warning, ...rest]) === 'DEP0111' && String(warning).includes("process.binding('http_parser')")) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
};

export {};
