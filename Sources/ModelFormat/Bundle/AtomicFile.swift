#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The one way Prospector publishes a file: readers see the old file or the new one, never
/// part of one, and a crash leaves at most a hidden temporary that a later run removes.
///
/// The bytes go to a new hidden file beside the target, created with `O_EXCL` under a name no
/// other writer can pick (`.NAME.tmp-PID-RANDOM`), are flushed (`fsync`), renamed over the
/// target, and the directory is flushed so the rename itself survives a power cut. Symbolic
/// links (the models directory's `current`) are switched the same way. Bundles, cache
/// entries, predictions, submissions and reports all go through here.
public enum AtomicFile {
    /// Why a file could not be published: `path` is the file, `reason` what the system said.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// The file that was being written.
        public var path: String
        /// What the system said.
        public var reason: String
        /// `path: reason`, for the user.
        public var description: String { "\(path): \(reason)" }
    }

    /// Marks the temporary names: `.NAME` + marker + `PID-RANDOM`.
    public static let temporaryMarker = ".tmp-"

    /// Writes `bytes` to `path` atomically (see the type's description).
    public static func write(_ bytes: [UInt8], to path: String, permissions: mode_t = 0o644) throws(Failure) {
        let (directory, temporary) = temporaryPath(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        guard fd >= 0 else { throw Failure(path: path, reason: "cannot create \(temporary): \(errnoText())") }
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let n = systemWrite(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = "writing \(temporary): \(errnoText())"
                    return
                }
                written += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = "fsync of \(temporary): \(errnoText())" }
        if close(fd) != 0, failure == nil { failure = "closing \(temporary): \(errnoText())" }
        try finish(temporary, as: path, in: directory, failure: failure)
    }

    /// Points the symbolic link `path` at `target` atomically: a new link under a temporary
    /// name is renamed over `path`, so `path` always resolves to the old target or the new one.
    public static func symlink(target: String, at path: String) throws(Failure) {
        let (directory, temporary) = temporaryPath(for: path)
        let failure = systemSymlink(target, temporary) == 0 ? nil : "cannot create \(temporary): \(errnoText())"
        try finish(temporary, as: path, in: directory, failure: failure)
    }

    /// Renames the complete temporary over `path` and flushes the directory, or removes it.
    private static func finish(_ temporary: String, as path: String, in directory: String, failure: String?) throws(Failure) {
        var failure = failure
        if failure == nil, rename(temporary, path) != 0 { failure = "renaming \(temporary) to \(path): \(errnoText())" }
        if let failure {
            unlink(temporary)
            throw Failure(path: path, reason: failure)
        }
        // Makes the rename itself durable; a file system that cannot fsync a directory still
        // has the complete file in place, so this is best effort.
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            _ = fsync(directoryFD)
            close(directoryFD)
        }
    }

    /// The directory of `path` and a fresh temporary name in it.
    static func temporaryPath(for path: String) -> (directory: String, temporary: String) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var random = SystemRandomNumberGenerator()
        let suffix = String(random.next() as UInt64, radix: 16)
        return (directory, directory + "/." + name + temporaryMarker + "\(getpid())-" + suffix)
    }

    // MARK: Leftovers of killed runs

    /// Removes the temporaries in `directory` that no running writer can still rename: those of
    /// a process that is gone, and those of a process id that was reused (the process holding
    /// it started after the file was last written). Returns the names removed.
    @discardableResult
    public static func removeAbandonedTemporaries(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var removed: [String] = []
        for name in names where name.hasPrefix(".") {
            guard let pid = writerProcess(ofTemporary: name), pid != getpid() else { continue }
            let path = directory + "/" + name
            if isAbandoned(path, writer: pid), unlink(path) == 0 { removed.append(name) }
        }
        return removed
    }

    /// The process id in a temporary name made by ``temporaryPath(for:)`` (or by earlier
    /// versions, which wrote `.NAME.tmp-PID`), or nil for any other name.
    static func writerProcess(ofTemporary name: String) -> pid_t? {
        guard name.hasPrefix("."), let marker = name.range(of: temporaryMarker, options: .backwards) else { return nil }
        let tail = name[marker.upperBound...]
        let digits = tail.prefix { $0.isASCII && $0.isNumber }
        let rest = tail.dropFirst(digits.count)
        guard !digits.isEmpty, rest.isEmpty || rest.first == "-" else { return nil }
        return pid_t(digits)
    }

    private static func isAbandoned(_ path: String, writer pid: pid_t) -> Bool {
        if kill(pid, 0) != 0 && errno == ESRCH { return true }
        var status = stat()
        guard lstat(path, &status) == 0, let started = processStartTime(pid) else { return false }
        #if canImport(Darwin)
            let modified = Double(status.st_mtimespec.tv_sec)
        #else
            let modified = Double(status.st_mtim.tv_sec)
        #endif
        // A second of slack for the clocks' different resolutions.
        return modified + 1 < started
    }

    /// When process `pid` started, in seconds since the epoch (Linux: from /proc), or nil.
    static func processStartTime(_ pid: pid_t) -> Double? {
        guard let stat = readSmallFile("/proc/\(pid)/stat"), let boot = readSmallFile("/proc/stat") else { return nil }
        // Fields after the command name (which may hold spaces and parentheses): the start
        // time is field 22 of the line, the 20th after ")".
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        guard let line = boot.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
            let bootTime = Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
        else { return nil }
        return bootTime + ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    private static func readSmallFile(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}

// The enum's `write` and `symlink` shadow the C functions inside it.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
private func systemSymlink(_ target: String, _ path: String) -> Int32 { symlink(target, path) }
