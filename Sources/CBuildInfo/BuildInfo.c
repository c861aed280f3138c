#include "CBuildInfo.h"

// A C file rather than a Swift define: a new commit recompiles this one file, not every module.
#if __has_include("BuildCommit.h")
#include "BuildCommit.h"
#endif

#ifndef PROSPECTOR_COMMIT
#define PROSPECTOR_COMMIT "unknown"
#endif

const char *prospector_build_commit(void) { return PROSPECTOR_COMMIT; }
