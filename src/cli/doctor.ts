import { doctorMain } from '../doctor/doctor-main';
import { createLogger } from '../shared/logger';

// npm run doctor [-- --local-tenant]
doctorMain(process.argv.slice(2), process.env, (text) => process.stdout.write(`${text}\n`), createLogger(process.env.LOG_LEVEL ?? 'error'))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err: unknown) => {
    process.stderr.write(`doctor: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
