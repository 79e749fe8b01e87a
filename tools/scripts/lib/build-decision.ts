/** Whether `docker-build` runs `docker build`, and the reason it prints. Pure. */

export type BuildDecision = { build: boolean; reason: string };

/**
 * The daemon is the cache: an image carrying the content tag holds exactly these inputs, so
 * it is reused; without one (first build, changed inputs, pruned image, fresh daemon) it is built.
 */
export function decideBuild(ref: string, existingImageId: string | undefined): BuildDecision {
  if (existingImageId) {
    return {
      build: false,
      reason: `${ref} is already in the Docker daemon (${existingImageId.replace(/^sha256:/, '').slice(0, 12)}): inputs unchanged, docker build skipped`,
    };
  }
  return {
    build: true,
    reason: `${ref} is not in the Docker daemon (first build, changed inputs, or image removed): building`,
  };
}
