/** Entry point: `tsx origin/src/main.ts` (npm start runs it with the generated local environment). */
import { loadConfig } from "./config";
import { startOrigin } from "./server";

const origin = await startOrigin(loadConfig());
const stop = () => void origin.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
