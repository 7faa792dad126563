import type { ChainableCommander } from "ioredis";

/** Runs a MULTI … EXEC and throws the first error of any command in it (ioredis returns them in a list). */
export async function execAll(transaction: ChainableCommander): Promise<void> {
  const results = await transaction.exec();
  if (results === null) throw new Error("Redis transaction aborted");
  for (const [error] of results) if (error) throw error;
}
