import Foundation
import Testing

@testable import ModelFormat

@Suite struct AtomicFileTests {
    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("a write replaces the file whole and leaves no temporary behind")
    func writeReplaces() throws {
        let folder = try Self.directory()
        let path = folder + "/report.html"
        try AtomicFile.write(Array("old".utf8), to: path)
        try AtomicFile.write(Array("new contents".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new contents")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["report.html"])
    }

    @Test("temporary names are unique per write and carry the writer's process id")
    func temporaryNames() {
        let names = (0..<100).map { _ in AtomicFile.temporaryPath(for: "/m/prospector-x.bundle").temporary }
        #expect(Set(names).count == 100)
        let name = (names[0] as NSString).lastPathComponent
        #expect(name.hasPrefix(".prospector-x.bundle.tmp-\(getpid())-"))
        #expect(AtomicFile.writerProcess(ofTemporary: name) == getpid())
        #expect(AtomicFile.writerProcess(ofTemporary: ".clean-ab.cache.tmp-123") == 123)
        #expect(AtomicFile.writerProcess(ofTemporary: "prospector-x.bundle") == nil)
        #expect(AtomicFile.writerProcess(ofTemporary: ".x.tmp-12a") == nil)
    }

    @Test("a write that cannot be done names the file and leaves nothing behind")
    func failedWrite() throws {
        let folder = try Self.directory()
        #expect(throws: AtomicFile.Failure.self) { try AtomicFile.write([1], to: folder + "/missing/file") }
        // A directory in the way: the rename fails, the temporary is removed.
        try FileManager.default.createDirectory(atPath: folder + "/taken/inside", withIntermediateDirectories: true)
        do {
            try AtomicFile.write([1], to: folder + "/taken")
            Issue.record("renaming over a non-empty directory succeeded")
        } catch {
            #expect(error.path == folder + "/taken")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["taken"])
    }

    @Test("a link is switched by renaming a new link over it")
    func symlinkSwitch() throws {
        let folder = try Self.directory()
        try AtomicFile.symlink(target: "a.bundle", at: folder + "/current")
        try AtomicFile.symlink(target: "b.bundle", at: folder + "/current")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/current") == "b.bundle")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["current"])
    }

    @Test("our own process's start time is read from /proc and lies before now")
    func processStart() throws {
        let started = try #require(AtomicFile.processStartTime(getpid()))
        #expect(started <= Date().timeIntervalSince1970 + 1)
        #expect(started > Date().timeIntervalSince1970 - 24 * 3600)
    }
}
