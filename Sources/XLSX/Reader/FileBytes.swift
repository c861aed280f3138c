#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The whole file in one buffer: its size from `fstat`, then `read` straight into the array.
enum FileBytes {
    static func read(path: String) throws(XLSXError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadableFile(file: path, reason: errnoText()) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .unreadableFile(file: path, reason: errnoText()) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw .unreadableFile(file: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        // Not `init(unsafeUninitializedCapacity: 0)`, which writes into the empty-array storage
        // all threads share (see `Array(filling:)` in Concurrency).
        guard size > 0 else { return [] }
        var failure: String?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var done = 0
            while done < size {
                let n = Glibc.read(descriptor, buffer.baseAddress! + done, size - done)
                if n > 0 {
                    done += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    if n < 0 { failure = errnoText() }
                    break
                }
            }
            count = done
        }
        if let failure { throw .unreadableFile(file: path, reason: failure) }
        return bytes
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
