#ifndef PROSPECTOR_CBUILDINFO_H
#define PROSPECTOR_CBUILDINFO_H

/// The git commit the binary was built from: baked in by `make release`, which writes
/// `BuildCommit.h` (defining PROSPECTOR_COMMIT) into a folder it puts on the include path;
/// "unknown" in a plain `swift build`.
const char *prospector_build_commit(void);

#endif
