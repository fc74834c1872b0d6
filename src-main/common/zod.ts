// zod as every shared schema uses it. jitless: zod otherwise probes `new Function` to compile
// object parsers, which the renderer's Content-Security-Policy forbids (the probe is caught, but
// the browser still reports a violation). This must run before any schema is built, so shared
// modules import zod from here and never from the package.
import { z } from 'zod';

z.config({ jitless: true });

export { z };
