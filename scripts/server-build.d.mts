/** Types of scripts/server-build.mjs, for TypeScript callers (the benchmarks). */
export declare const serverRoots: string[];
export declare function listSources(roots?: string[], base?: string): { files: string[]; newestMs: number };
export declare function buildServer(options?: {
  roots?: string[];
  outdir?: string;
  outbase?: string;
  base?: string;
}): Promise<{ files: number; outdir: string }>;
export declare function isBuildFresh(options?: { roots?: string[]; outdir?: string; base?: string }): boolean;
