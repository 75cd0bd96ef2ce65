// Bundles the dashboard (dashboard/main.ts, its CSS and the network and chart libraries)
// with esbuild into memory, for the local server to serve at `/`. Built when the local
// stack starts, so a checkout never serves stale assets and nothing is fetched from a
// CDN at run time. One build per process: restarts in the same process reuse it.
import { readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export class DashboardBuildError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DashboardBuildError";
  }
}

export interface DashboardAsset {
  contentType: string;
  body: Buffer | string;
}

const here = dirname(fileURLToPath(import.meta.url));
const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
};

let building: Promise<Map<string, DashboardAsset>> | undefined;

/** The dashboard's files by URL path: `/` (and `/index.html`), `/dashboard.js`, `/dashboard.css`. */
export function buildDashboardAssets(): Promise<Map<string, DashboardAsset>> {
  building ??= bundle().catch((error: unknown) => {
    building = undefined;
    throw new DashboardBuildError(`the dashboard did not build: ${String(error)}`, { cause: error });
  });
  return building;
}

async function bundle(): Promise<Map<string, DashboardAsset>> {
  const result = await build({
    entryPoints: { dashboard: join(here, "main.ts") },
    bundle: true,
    write: false,
    outdir: "/",
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    minify: true,
    sourcemap: false,
    legalComments: "linked",
    logLevel: "silent",
  });
  const assets = new Map<string, DashboardAsset>();
  for (const file of result.outputFiles) {
    const name = basename(file.path);
    const extension = name.slice(name.lastIndexOf("."));
    assets.set(`/${name}`, {
      contentType: CONTENT_TYPES[extension] ?? "text/plain; charset=utf-8",
      body: Buffer.from(file.contents),
    });
  }
  const html = await readFile(join(here, "index.html"), "utf8");
  const page = { contentType: CONTENT_TYPES[".html"]!, body: html };
  assets.set("/", page);
  assets.set("/index.html", page);
  return assets;
}
