/**
 * The one key every cache carries besides its own version and file stamps: the build id, which
 * scripts/build.mjs sets to a hash of every source file, the build script and the lockfile. A new
 * build (a release, or a code change in development) never reads a cache an older build wrote:
 * the bank index and bodies, history.bin and the rendered-Markdown cache alike.
 *
 * Outside a build (vitest runs src/ directly) there is no such hash; the id is then unique to the
 * process, so caches still work within it but are never shared with another process's code.
 */
declare const __BUILD_ID__: string | undefined;

export const BUILD_ID: string = typeof __BUILD_ID__ === 'string' ? __BUILD_ID__ : `unbuilt-${process.pid}-${Date.now().toString(36)}`;

/** True when running from a build (the id is a hash, shared by every process of that build). */
export const IS_BUILT = typeof __BUILD_ID__ === 'string';
