import Foundation
import Testing
@testable import Training

/// `ModelStore.checkCanPublish` runs before a training run reads anything: it must accept every
/// directory a publish could create, relative ones included (`--models models`, the default).
@Suite("Models directory check")
struct ModelStoreCheckTests {
    @Test("a relative directory that does not exist yet can be published to (the working directory is writable)")
    func relativeNewDirectory() throws {
        let name = "prospector-check-\(UUID().uuidString)"
        try ModelStore(directory: name).checkCanPublish()
        try ModelStore(directory: name + "/nested/models").checkCanPublish()
        #expect(!FileManager.default.fileExists(atPath: name), "the check must not create anything")
    }

    @Test("a directory below a regular file is refused, naming that file")
    func belowAFile() throws {
        let file = NSTemporaryDirectory() + "prospector-check-\(UUID().uuidString)"
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect {
            try ModelStore(directory: file + "/models").checkCanPublish()
        } throws: { error in
            "\(error)".contains("\(file) is not a directory")
        }
    }
}
