// `npm run redrive`: after fixing whatever made messages fail, moves every dead letter of
// the running local stack (`npm start`) back to the queue it came from, where it is
// processed again from a fresh receive count. Coding is idempotent per article content,
// so re-driving an article that was in fact stored changes nothing.
//
//   npm run redrive -- --list                 show what is there and why, without moving it
//   npm run redrive                           move everything back
//   npm run redrive -- --url http://127.0.0.1:4000
//
// In AWS the same job is `aws sqs start-message-move-task` (docs/deploy.md).
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

export interface DeadLetterSummary {
  messageId: string;
  articleId: string | null;
  sourceMessageId?: string;
  receiveCount: number;
  failureReason?: string;
  deadLetteredAt: string;
}

export class RedriveError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RedriveError";
  }
}

async function call(url: string, init?: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (error) {
    throw new RedriveError(`no local stack answers at ${url} (is \`npm start\` running?)`, { cause: error });
  }
  const text = await res.text();
  if (!res.ok) throw new RedriveError(`${init?.method ?? "GET"} ${url} answered ${res.status}: ${text}`);
  return JSON.parse(text) as unknown;
}

export async function listDeadLetters(baseUrl: string): Promise<Record<string, DeadLetterSummary[]>> {
  const answer = (await call(`${baseUrl}/admin/dlq`)) as { queues: Record<string, DeadLetterSummary[]> };
  return answer.queues;
}

export async function redriveDeadLetters(baseUrl: string): Promise<Record<string, number>> {
  const answer = (await call(`${baseUrl}/admin/dlq/redrive`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  })) as { moved: Record<string, number> };
  return answer.moved;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: "string", default: `http://127.0.0.1:${process.env.PORT ?? "3000"}` },
      list: { type: "boolean", default: false },
    },
  });
  const baseUrl = values.url.replace(/\/$/, "");
  const queues = await listDeadLetters(baseUrl);
  for (const [queue, letters] of Object.entries(queues)) {
    console.log(`${queue}: ${letters.length} message${letters.length === 1 ? "" : "s"}`);
    for (const letter of letters) {
      console.log(
        `  ${letter.articleId ?? "(no article id)"}  after ${letter.receiveCount} receives: ${letter.failureReason ?? "no reason recorded"}`,
      );
    }
  }
  if (values.list) return;
  const moved = await redriveDeadLetters(baseUrl);
  for (const [queue, count] of Object.entries(moved)) {
    console.log(`moved ${count} from ${queue} back to ${queue.replace(/-dlq$/, "")}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
