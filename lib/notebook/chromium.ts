import { existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { projectRequire } from '../util';

/** The part of playwright-core we use, declared here so lib compiles without its types (it is a devDependency). */
interface PwPage {
  setContent(html: string): Promise<void>;
  addScriptTag(options: { path: string }): Promise<unknown>;
  evaluate(expression: string): Promise<unknown>;
  setDefaultTimeout(ms: number): void;
}
interface PwBrowser {
  newPage(): Promise<PwPage>;
  close(): Promise<void>;
}
interface PwChromium {
  launch(options: { executablePath: string; headless: boolean; args: string[] }): Promise<PwBrowser>;
}

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];
const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * The chromium executable used to render static plot images, or null.
 * $CHROMIUM_PATH wins when set (set it to `none` to turn PNG rendering off); otherwise the usual
 * install locations and then $PATH are searched.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const explicit = env.CHROMIUM_PATH;
  if (explicit !== undefined && explicit !== '') return isFile(explicit) ? explicit : null;
  for (const c of CANDIDATES) if (isFile(c)) return c;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of PATH_NAMES) {
      const p = join(dir, name);
      if (existsSync(p) && isFile(p)) return p;
    }
  }
  return null;
}

// Flags for a headless chromium on a closed network (see /work/.library machine notes): no sandbox (root in CI),
// no GPU, and no background networking, whose refused connections would otherwise pile up.
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Renderer {
  browser: PwBrowser;
  page: PwPage;
}

let renderer: Promise<Renderer> | null = null;
let queue: Promise<unknown> = Promise.resolve();

async function startRenderer(executablePath: string): Promise<Renderer> {
  const req = projectRequire();
  const { chromium } = req('playwright-core') as { chromium: PwChromium };
  // playwright gives each launch a fresh temporary profile (--user-data-dir) and kills the browser when
  // this process exits, so a kernel that dies leaves no chromium behind.
  const browser = await chromium.launch({ executablePath, headless: true, args: FLAGS });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(30_000);
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: req.resolve('plotly.js-dist-min') });
    return { browser, page };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

export interface PngOptions {
  width: number;
  height: number;
  scale?: number;
  /** Chromium to use; default findChromium(). */
  executablePath?: string;
}

/**
 * Renders a plotly figure to PNG bytes in one persistent headless page (launched on first use, ~2 s;
 * later figures take 40-170 ms). Calls are serialised. Throws when no chromium is found or it fails.
 */
export function renderPng(figure: object, options: PngOptions): Promise<Buffer> {
  const run = async (): Promise<Buffer> => {
    if (!renderer) {
      const exe = options.executablePath ?? findChromium();
      if (!exe) throw new Error('no chromium found; install chromium or set CHROMIUM_PATH');
      renderer = startRenderer(exe);
      renderer.catch(() => {
        renderer = null; // let a later call retry (e.g. after CHROMIUM_PATH is fixed)
      });
    }
    const { page } = await renderer;
    const opts = { format: 'png', width: options.width, height: options.height, scale: options.scale ?? 1 };
    // A string expression, not a function: tsx/esbuild may add helpers to a function's source that do not exist
    // in the page. JSON text is a valid JS expression, so the figure goes in as a literal.
    const url = await page.evaluate(`Plotly.toImage(${JSON.stringify(figure)}, ${JSON.stringify(opts)})`);
    if (typeof url !== 'string' || !url.startsWith('data:image/png;base64,')) {
      throw new Error('Plotly.toImage did not return a PNG data URL');
    }
    return Buffer.from(url.slice('data:image/png;base64,'.length), 'base64');
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

/** Closes the shared browser (scripts call this so node can exit; kernels rely on the exit cleanup). */
export async function closeRenderer(): Promise<void> {
  const r = renderer;
  renderer = null;
  if (!r) return;
  try {
    const { browser } = await r;
    await browser.close();
  } catch {
    // a renderer that never started has nothing to close
  }
}
