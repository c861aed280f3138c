internal import CZlib

/// Raw-deflate (RFC 1951) decompression of one ZIP entry in bounded memory.
///
/// Output is produced in fixed-size chunks and appended only while it stays within the entry's
/// declared size, so a lying header can neither make us allocate its claim up front nor inflate
/// past it: a stream that is longer than declared is refused at the first byte over.
enum Inflater {
    static let chunkSize = 256 << 10

    /// Inflates `input` to exactly `declaredSize` bytes and verifies the CRC-32 on the way.
    static func inflate(
        _ input: UnsafeBufferPointer<UInt8>, declaredSize: Int, expectedCRC: UInt32,
        file: String, entry: String
    ) throws(XLSXError) -> [UInt8] {
        var stream = z_stream()
        // -15: a raw deflate stream with a 32 KiB window, no zlib header (ZIP stores raw deflate).
        let initStatus = inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else {
            throw .corruptZip(file: file, entry: entry, reason: "zlib inflateInit2 failed (\(initStatus))")
        }
        defer { inflateEnd(&stream) }

        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { chunk.deallocate() }

        var output: [UInt8] = []
        // Real data may be shorter than claimed, so reserve at most a modest amount up front.
        output.reserveCapacity(min(declaredSize, 16 << 20))
        var crc = CRC32()
        // zlib's avail_in is 32-bit: feed the input in pieces.
        var inputOffset = 0
        var finished = false

        while !finished {
            if stream.avail_in == 0 && inputOffset < input.count {
                let n = min(input.count - inputOffset, Int(UInt32.max))
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + inputOffset)
                stream.avail_in = UInt32(n)
                inputOffset += n
            }
            stream.next_out = chunk
            stream.avail_out = UInt32(chunkSize)
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            let produced = chunkSize - Int(stream.avail_out)
            switch status {
            case Z_STREAM_END:
                finished = true
            case Z_OK:
                break
            case Z_BUF_ERROR where stream.avail_in == 0 && inputOffset >= input.count:
                throw .corruptZip(file: file, entry: entry, reason: "deflate data ends before the end of the stream")
            case Z_BUF_ERROR:
                break
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                throw .corruptZip(file: file, entry: entry, reason: "invalid deflate data (\(message))")
            }
            if produced > 0 {
                if output.count + produced > declaredSize {
                    throw .sizeMismatch(
                        file: file, entry: entry, declared: declaredSize,
                        reason: "the data inflates to more; stopped at \(output.count + produced) bytes")
                }
                let piece = UnsafeBufferPointer(start: chunk, count: produced)
                crc.update(piece)
                output.append(contentsOf: piece)
            } else if !finished && stream.avail_in == 0 && inputOffset >= input.count {
                throw .corruptZip(file: file, entry: entry, reason: "deflate data ends before the end of the stream")
            }
        }
        guard output.count == declaredSize else {
            throw .sizeMismatch(
                file: file, entry: entry, declared: declaredSize,
                reason: "the data inflates to only \(output.count) bytes")
        }
        guard crc.value == expectedCRC else {
            throw .crcMismatch(file: file, entry: entry, expected: expectedCRC, actual: crc.value)
        }
        return output
    }
}
