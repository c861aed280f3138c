import Foundation
import Numerics
import Testing

@testable import ModelFormat

/// The format-1.x layout as FORMAT.md specifies it, read independently of `BundleFile`.
struct Layout {
    struct Section {
        var name: String
        var offset: Int
        var length: Int
        var end: Int { offset &+ length }
    }

    var sections: [Section]
    var tableEnd: Int
    var fileSize: Int

    init(_ file: [UInt8]) {
        let count = Int(Self.u32(file, 12))
        tableEnd = 40 + 64 * count
        fileSize = Int(Self.u64(file, 16))
        sections = (0..<count).map { i in
            let at = 40 + 64 * i
            let name = String(decoding: file[at..<(at + 32)].prefix { $0 != 0 }, as: UTF8.self)
            return Section(
                name: name, offset: Int(truncatingIfNeeded: Self.u64(file, at + 32)),
                length: Int(truncatingIfNeeded: Self.u64(file, at + 40)))
        }
    }

    static func u64(_ b: [UInt8], _ at: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(b[at + $1]) << (8 * UInt64($1)) }
    }
    static func u32(_ b: [UInt8], _ at: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(b[at + $1]) << (8 * UInt32($1)) }
    }
    static func put(_ value: UInt64, into b: inout [UInt8], at: Int) {
        for i in 0..<8 { b[at + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
    }

    /// Recomputes every checksum after a deliberate edit, so only the edit itself is tested.
    static func reseal(_ b: inout [UInt8]) {
        let layout = Layout(b)
        for (i, s) in layout.sections.enumerated() where s.offset >= 0 && s.length >= 0 && s.end >= s.offset && s.end <= b.count - 8 {
            put(XXH64.hash(Array(b[s.offset..<s.end])), into: &b, at: 40 + 64 * i + 48)
        }
        put(XXH64.hash(Array(b[40..<layout.tableEnd])), into: &b, at: 24)
        put(XXH64.hash(Array(b[0..<32])), into: &b, at: 32)
        put(XXH64.hash(Array(b[0..<(b.count - 8)])), into: &b, at: b.count - 8)
    }
}

@Suite("Bundle file")
struct BundleFileTests {
    let path = "model.bundle"

    func refusal(_ bytes: [UInt8]) -> BundleError? {
        do {
            _ = try BundleFile.decode(bytes, path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test("a bundle survives a trip through a file: manifest, transform, matrix, raw and empty sections")
    func fileRoundTrip() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bundle-test-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/model.bundle"
        let bundle = Fixtures.bundle()

        try BundleFile.write(bundle, to: file)
        let loaded = try BundleFile.read(path: file)
        #expect(loaded == bundle)
        #expect(try loaded.section("transform", as: CleaningTransform.self) == Fixtures.transform)
        #expect(try loaded.section("pca", as: Matrix.self) == Fixtures.matrix)
        #expect(loaded.sections["raw"] == [1, 2, 3, 4, 5])
        #expect(loaded.sections["empty"] == [])
        #expect(loaded.manifest.parameters["nested"] == ["a": [1, "x", nil, true]])

        // Overwriting replaces the file atomically and leaves no temporary file behind.
        var next = bundle
        next.manifest.notes = "second"
        try BundleFile.write(next, to: file)
        #expect(try BundleFile.read(path: file).manifest.notes == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["model.bundle"])
    }

    @Test("identical bundles give identical bytes")
    func deterministic() throws {
        let a = try BundleFile.encode(Fixtures.bundle())
        let b = try BundleFile.encode(Fixtures.bundle())
        #expect(a == b)
        var other = Fixtures.bundle()
        other.sections["raw"] = [1, 2, 3, 4, 6]
        #expect(try BundleFile.encode(other) != a)
    }

    @Test("the bytes follow FORMAT.md: magic, version 1.2, size, 8-aligned sections in name order, manifest first")
    func layout() throws {
        let bytes = try BundleFile.encode(Fixtures.bundle())
        #expect(Array(bytes[0..<8]) == [0x50, 0x52, 0x53, 0x50, 0x43, 0x54, 0x52, 0x00])  // "PRSPCTR\0"
        #expect(Array(bytes[8..<12]) == [1, 0, 2, 0])
        let layout = Layout(bytes)
        #expect(layout.fileSize == bytes.count)
        #expect(bytes.count % 8 == 0)
        #expect(layout.sections.map(\.name) == ["manifest", "empty", "pca", "raw", "transform"])
        #expect(layout.sections[0].offset == layout.tableEnd)
        for s in layout.sections { #expect(s.offset % 8 == 0, "\(s.name)") }
        for (a, b) in zip(layout.sections, layout.sections.dropFirst()) { #expect(a.end <= b.offset) }
        let raw = layout.sections.first { $0.name == "raw" }!
        #expect(Array(bytes[raw.offset..<raw.end]) == [1, 2, 3, 4, 5])
        let manifest = layout.sections[0]
        let json = try JSONSerialization.jsonObject(with: Data(bytes[manifest.offset..<manifest.end])) as? [String: Any]
        #expect(json?["bundleId"] as? String == "2026-11-29T0300Z-0badf00d")
        #expect(json?["formatVersion"] as? String == "1.2")
        #expect(Layout.u64(bytes, bytes.count - 8) == XXH64.hash(Array(bytes[0..<(bytes.count - 8)])))
    }

    @Test("a file cut at every byte offset is refused as truncated, naming the part that is cut")
    func truncationAtEveryOffset() throws {
        let bytes = try BundleFile.encode(Fixtures.bundle())
        let layout = Layout(bytes)
        let byOffset = layout.sections.sorted { $0.offset < $1.offset }
        for cut in 0..<bytes.count {
            let expected: BundleError
            if cut < 40 {
                expected = .truncated(path: path, fileSize: cut, part: "the header", endsAt: 40)
            } else if cut < layout.tableEnd {
                expected = .truncated(path: path, fileSize: cut, part: "the section table", endsAt: layout.tableEnd)
            } else if let s = byOffset.first(where: { $0.end > cut }) {
                expected = .truncated(path: path, fileSize: cut, part: "section '\(s.name)'", endsAt: s.end)
            } else {
                expected = .truncated(path: path, fileSize: cut, part: "the trailing checksum", endsAt: bytes.count)
            }
            #expect(refusal(Array(bytes[0..<cut])) == expected, "cut at \(cut)")
        }
        #expect(
            refusal(Array(bytes[0..<1000])).map(\.description)
                == "model.bundle: truncated: file is 1000 bytes, section 'manifest' ends at \(layout.sections[0].end)")
    }

    @Test("a flipped byte anywhere is refused, naming the damaged part")
    func flippedByteAtEveryPosition() throws {
        let bytes = try BundleFile.encode(Fixtures.bundle())
        let layout = Layout(bytes)
        var seen = Set<String>()
        for position in 0..<bytes.count {
            var damaged = bytes
            damaged[position] ^= 0x5A
            let expected: BundleError
            if position < 8 {
                expected = .badMagic(path: path)
            } else if position < 10 {
                expected = .unsupportedVersion(
                    path: path, major: UInt16(damaged[8]) | UInt16(damaged[9]) << 8, minor: BundleFile.formatMinorVersion)
            } else if position < 40 {
                expected = .headerCorrupt(path: path)
            } else if position < layout.tableEnd {
                expected = .sectionTableCorrupt(path: path)
            } else if let s = layout.sections.first(where: { $0.offset <= position && position < $0.end }) {
                expected = .sectionCorrupt(path: path, section: s.name)
            } else {
                expected = .fileChecksumMismatch(path: path)  // alignment padding and the trailer
            }
            let got = refusal(damaged)
            #expect(got == expected, "flip at \(position)")
            if let got { seen.insert("\(got)".components(separatedBy: ": ").dropFirst().joined(separator: ": ")) }
        }
        // Every kind of damage occurred: the loop covered header, table, each section, padding and trailer.
        #expect(seen.contains("section 'pca' is corrupt (checksum mismatch)"))
        #expect(seen.contains("section 'transform' is corrupt (checksum mismatch)"))
        #expect(seen.contains("section 'manifest' is corrupt (checksum mismatch)"))
        #expect(seen.contains("checksum mismatch over the whole file"))
        #expect(seen.contains("header is corrupt (checksum mismatch)"))
        #expect(seen.contains("section table is corrupt (checksum mismatch)"))
        #expect(seen.contains("not a Prospector bundle (bad magic)"))
    }

    @Test("other files are not bundles")
    func wrongMagic() {
        #expect(refusal(Array("PK\u{3}\u{4} a zip file, not a bundle........................".utf8))?.description
            == "model.bundle: not a Prospector bundle (bad magic)")
        #expect(refusal(Array("PRSPCTR!".utf8)) == .badMagic(path: path))
        #expect(refusal(Array("PRS".utf8)) == .truncated(path: path, fileSize: 3, part: "the header", endsAt: 40))
        #expect(refusal([]) == .truncated(path: path, fileSize: 0, part: "the header", endsAt: 40))
    }

    @Test("major version 2 is refused with the versions this build reads; minor 1.7 is read")
    func versions() throws {
        var bytes = try BundleFile.encode(Fixtures.bundle())
        bytes[8] = 2
        Layout.reseal(&bytes)
        #expect(refusal(bytes)?.description
            == "model.bundle: format version 2.\(BundleFile.formatMinorVersion) is not supported (this build reads 1.x)")

        // A 1.7 writer: new minor, an extra section this build does not know, an extra manifest field.
        var newer = Fixtures.bundle()
        newer.sections["future-section"] = [42, 42]
        bytes = try BundleFile.encode(newer)
        bytes[8] = 1
        bytes[10] = 7
        Layout.reseal(&bytes)
        let loaded = try BundleFile.decode(bytes, path: path)
        #expect(loaded.sections["future-section"] == [42, 42])
        #expect(try loaded.section("pca", as: Matrix.self) == Fixtures.matrix)

        var json = try JSONSerialization.jsonObject(with: Data(try Fixtures.manifest.jsonBytes())) as! [String: Any]
        json["addedIn1_7"] = ["anything": true]
        let extended = try JSONSerialization.data(withJSONObject: json)
        let manifest = try BundleManifest.decode(json: ArraySlice(extended), path: path)
        #expect(manifest == Fixtures.manifest)
    }

    @Test("a section table pointing outside the file, overlapping or misaligned is refused")
    func hostileSectionTable() throws {
        let bytes = try BundleFile.encode(Fixtures.bundle())
        let layout = Layout(bytes)
        let pca = layout.sections.firstIndex { $0.name == "pca" }!
        let entry = 40 + 64 * pca

        var outside = bytes
        Layout.put(UInt64(bytes.count + 4096), into: &outside, at: entry + 32)
        Layout.reseal(&outside)
        #expect(
            refusal(outside)?.description
                == "model.bundle: invalid section table: section 'pca' (offset \(bytes.count + 4096), "
                + "\(layout.sections[pca].length) bytes) lies outside the sections area "
                + "\(layout.tableEnd)..<\(bytes.count - 8) of a \(bytes.count)-byte file")

        var huge = bytes
        Layout.put(UInt64.max - 3, into: &huge, at: entry + 40)  // offset + length overflows
        Layout.reseal(&huge)
        #expect(refusal(huge)?.description.contains("section 'pca' (offset") == true)

        var intoTable = bytes
        Layout.put(40, into: &intoTable, at: entry + 32)
        Layout.reseal(&intoTable)
        #expect(refusal(intoTable)?.description.contains("lies outside the sections area") == true)

        // 'raw' moved onto the start of 'pca'.
        let raw = layout.sections.firstIndex { $0.name == "raw" }!
        var overlap = bytes
        Layout.put(UInt64(layout.sections[pca].offset), into: &overlap, at: 40 + 64 * raw + 32)
        Layout.reseal(&overlap)
        #expect(
            refusal(overlap) == .invalidSectionTable(path: path, problem: "sections 'pca' and 'raw' overlap")
                || refusal(overlap) == .invalidSectionTable(path: path, problem: "sections 'raw' and 'pca' overlap"),
            "\(String(describing: refusal(overlap)))")

        var misaligned = bytes
        Layout.put(UInt64(layout.sections[pca].offset + 1), into: &misaligned, at: entry + 32)
        Layout.put(0, into: &misaligned, at: entry + 40)
        Layout.reseal(&misaligned)
        #expect(
            refusal(misaligned)
                == .invalidSectionTable(
                    path: path, problem: "section 'pca' starts at \(layout.sections[pca].offset + 1), not a multiple of 8"))

        var duplicate = bytes
        duplicate.replaceSubrange((entry)..<(entry + 32), with: Array(bytes[(entry - 64)..<(entry - 32)]))
        Layout.reseal(&duplicate)
        #expect(refusal(duplicate) == .invalidSectionTable(path: path, problem: "section '\(layout.sections[pca - 1].name)' appears twice"))

        var absurdCount = bytes
        absurdCount[12...15] = [0xFF, 0xFF, 0xFF, 0xFF]
        Layout.put(XXH64.hash(Array(absurdCount[0..<32])), into: &absurdCount, at: 32)
        #expect(refusal(absurdCount)?.description.contains("cannot hold 4294967295 sections") == true)

        var appended = bytes + [0, 0, 0, 0, 0, 0, 0, 0]
        Layout.reseal(&appended)
        #expect(refusal(appended) == .trailingData(path: path, fileSize: bytes.count + 8, declaredSize: bytes.count))
    }

    @Test("a bundle without a manifest, or with a broken one, is refused")
    func badManifest() throws {
        var bytes = try BundleFile.encode(Fixtures.bundle())
        let layout = Layout(bytes)
        // Rename the manifest section.
        bytes[40] = UInt8(ascii: "M")
        Layout.reseal(&bytes)
        #expect(refusal(bytes)?.description == "model.bundle: the bundle has no section 'manifest'")

        bytes = try BundleFile.encode(Fixtures.bundle())
        bytes[layout.sections[0].offset] = UInt8(ascii: "[")
        Layout.reseal(&bytes)
        #expect(
            refusal(bytes)?.description.hasPrefix("model.bundle: invalid manifest: ") == true, "\(String(describing: refusal(bytes)))")

        var json = try JSONSerialization.jsonObject(with: Data(try Fixtures.manifest.jsonBytes())) as! [String: Any]
        json["bundleId"] = nil
        #expect(throws: BundleError.invalidManifest(path: path, problem: "missing field 'bundleId'")) {
            _ = try BundleManifest.decode(json: ArraySlice(try JSONSerialization.data(withJSONObject: json)), path: path)
        }
        json = try JSONSerialization.jsonObject(with: Data(try Fixtures.manifest.jsonBytes())) as! [String: Any]
        json["inputs"] = [["name": "x", "size": "big", "contentHash": "h"]]
        let badSize = try JSONSerialization.data(withJSONObject: json)
        do {
            _ = try BundleManifest.decode(json: ArraySlice(badSize), path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasSuffix("at inputs.[0].size"), "\(error)")
        }
    }

    @Test("a hostile length inside a section's payload is a decoding error naming the section")
    func hostilePayload() throws {
        var bundle = Fixtures.bundle()
        var transform = Fixtures.transform.binaryEncoded()
        // The transform starts with its id column's UInt32 length: claim 4 GiB.
        transform.replaceSubrange(0..<4, with: [0xFF, 0xFF, 0xFF, 0xFF])
        bundle.sections["transform"] = transform
        var pca = Fixtures.matrix.binaryEncoded()
        Layout.put(UInt64.max / 4, into: &pca, at: 16)  // the values' element count
        bundle.sections["pca"] = pca
        let loaded = try BundleFile.decode(try BundleFile.encode(bundle), path: path)  // checksums are right

        #expect(throws: BundleError.malformed(section: "transform", offset: 4, problem: "a string of 4294967295 bytes needs 4294967295 bytes, \(transform.count - 4) left")) {
            _ = try loaded.section("transform", as: CleaningTransform.self)
        }
        do {
            _ = try loaded.section("pca", as: Matrix.self)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("section 'pca' is malformed at byte 16: an array of 4611686018427387903 Double values"))
        }
        #expect(throws: BundleError.missingSection(path: "bundle '2026-11-29T0300Z-0badf00d'", section: "booster")) {
            _ = try loaded.section("booster", as: Matrix.self)
        }
    }

    @Test("invalid names and non-finite metrics are refused when writing")
    func writeRefusals() throws {
        var bundle = Fixtures.bundle()
        bundle.sections["manifest"] = []
        #expect(throws: BundleError.invalidSectionName(name: "manifest", problem: "the name is reserved for the manifest")) {
            _ = try BundleFile.encode(bundle)
        }
        bundle = Fixtures.bundle()
        bundle.sections[String(repeating: "x", count: 33)] = []
        #expect(throws: BundleError.self) { _ = try BundleFile.encode(bundle) }
        bundle = Fixtures.bundle()
        bundle.sections[""] = []
        #expect(throws: BundleError.invalidSectionName(name: "", problem: "the name is empty")) { _ = try BundleFile.encode(bundle) }
        bundle = Fixtures.bundle()
        bundle.sections[String(repeating: "é", count: 16)] = [7]  // exactly 32 bytes: allowed
        #expect(try BundleFile.decode(BundleFile.encode(bundle), path: path) == bundle)

        bundle = Fixtures.bundle()
        bundle.manifest.metrics["folds"] = [0.7, .number(.nan)]
        #expect(throws: BundleError.unencodableManifest(problem: "metrics.folds[1] is not a finite number, which JSON cannot hold")) {
            _ = try BundleFile.encode(bundle)
        }
    }

    @Test("unreadable paths give the path and the system's reason")
    func unreadable() {
        #expect(throws: BundleError.cannotRead(path: "/nonexistent/model.bundle", reason: "No such file or directory")) {
            _ = try BundleFile.read(path: "/nonexistent/model.bundle")
        }
        #expect(throws: BundleError.cannotRead(path: "/tmp", reason: "not a regular file")) {
            _ = try BundleFile.read(path: "/tmp")
        }
        #expect(throws: BundleError.self) { try BundleFile.write(Fixtures.bundle(), to: "/nonexistent/model.bundle") }
    }

    @Test("bundle ids and timestamps are UTC, minute plus 8 hex digits of the content hash")
    func identity() throws {
        let date = Date(timeIntervalSince1970: 1_795_921_200)  // 2026-11-29 03:00:00 UTC (date -u -d @1795921200)
        #expect(BundleManifest.timestamp(date) == "2026-11-29T03:00:00Z")
        #expect(BundleManifest.bundleId(createdAt: date, contentHash: 0x0012_3456_789A_BCDE) == "2026-11-29T0300Z-00123456")
        let bundle = Fixtures.bundle()
        var renamed = bundle
        renamed.manifest.notes = "manifest changes do not change the content hash"
        #expect(bundle.contentHash == renamed.contentHash)
        renamed.sections["raw"] = [1, 2, 3, 4, 5, 6]
        #expect(bundle.contentHash != renamed.contentHash)
    }
}
