// Reads the files `npm run publish` sends: one article (a JSON object), several
// (a JSON array) or one per line (JSON Lines). Kept apart from the script so
// it can be tested without sending anything.

export class ArticleFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ArticleFileError";
  }
}

export interface ParsedArticle {
  /** Where it came from, for messages: `file.json`, `file.json[2]`, `file.jsonl:7`. */
  label: string;
  article: unknown;
}

/** Reads articles from a file's text: a JSON object, a JSON array, or JSON Lines. */
export function parseArticles(text: string, origin: string): ParsedArticle[] {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new ArticleFileError(`${origin} is empty`);
  try {
    const whole: unknown = JSON.parse(trimmed);
    const items = Array.isArray(whole) ? whole : [whole];
    return items.map((article, index) => ({
      label: Array.isArray(whole) ? `${origin}[${index}]` : origin,
      article,
    }));
  } catch {
    // Not one JSON document: read it as JSON Lines.
  }
  const parsed: ParsedArticle[] = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line.trim().length === 0) continue;
    try {
      parsed.push({ label: `${origin}:${index + 1}`, article: JSON.parse(line) });
    } catch (error) {
      throw new ArticleFileError(`${origin}:${index + 1} is not JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  return parsed;
}
