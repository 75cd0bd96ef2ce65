// Queue message bodies are JSON that we did not write ourselves (publishers may put
// events on the bus directly), so a body that does not parse is invalid input, not a bug.
import { InvalidInputError } from "../core/errors.js";

export function parseMessageJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new InvalidInputError(
      "message body is not JSON",
      [{ path: "", message: (error as Error).message }],
      {
        cause: error,
      },
    );
  }
}
