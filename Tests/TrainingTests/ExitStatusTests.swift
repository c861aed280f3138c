import Foundation
import ModelFormat
import Testing

@testable import Training

/// Every command's failures, run through the built `trainer` and `scorer`: each ends with the
/// documented exit status (README "Exit codes": sysexits 64 usage, 65 data, 66 cannot open,
/// 73 cannot create) and one line on stderr that names the fix.
@Suite(.serialized) struct ExitStatusTests {
    struct Case: CustomStringConvertible, Sendable {
        var program: String
        var arguments: [String]
        var stdin: String = ""
        var status: Int32
        /// A piece of the error line (stderr), or nil for a success.
        var says: String?
        var description: String { ([program] + arguments).joined(separator: " ") }
    }

    /// A published bundle, a corrupt one, a renamed-column copy of the data and a plain file
    /// (a path below it cannot be created, even by root).
    struct Fixture {
        let bundle: String
        let corrupt: String
        let renamed: String
        let plainFile: String
        let data = PipelineFixture.data

        static let shared: Fixture = {
            let models = PipelineFixture.temporaryDirectory("exit-status")
            let run = try! TrainingPipeline(
                inputs: try! TrainingInputs(directory: PipelineFixture.data), options: PipelineFixture.options(cache: nil)
            ).run()
            _ = try! ModelStore(directory: models).publish(run.bundle, companions: [])
            let corrupt = models + "/corrupt.bundle"
            try! Data("not a bundle at all".utf8).write(to: URL(fileURLWithPath: corrupt))
            let plainFile = models + "/plain-file"
            try! Data("x".utf8).write(to: URL(fileURLWithPath: plainFile))
            let renamed = try! InputColumnCheckTests.dataWithRenamed("ANZ_PERSONEN", to: "ANZ_PERS", in: TrainingInputs.FileName.population)
            return Fixture(bundle: models + "/current", corrupt: corrupt, renamed: renamed, plainFile: plainFile)
        }()
    }

    static var cases: [Case] {
        let f = Fixture.shared
        let population = f.data + "/" + TrainingInputs.FileName.population
        let values = f.data + "/" + TrainingInputs.FileName.values
        let test = f.data + "/" + TrainingInputs.FileName.mailoutTest
        let quick = ["--components", "8", "--k", "4", "--restarts", "1", "--folds", "3", "--trees", "20", "--no-cache", "--progress", "log"]
        return [
            // trainer: usage (64), checked before anything is read
            Case(program: "trainer", arguments: ["trian"], status: 64, says: "unknown command 'trian'. Did you mean 'train'?"),
            Case(program: "trainer", arguments: ["train", "--data", f.data, "--k", "0"], status: 64, says: "--k 0: give at least 2"),
            Case(program: "trainer", arguments: ["train", "--data", f.data, "--k-range", "9...3"], status: 64, says: "--k-range"),
            Case(program: "trainer", arguments: ["train", "--data", f.data, "--bagging", "1.5"], status: 64, says: "--bagging 1.5"),
            Case(program: "trainer", arguments: ["train", "--date", f.data], status: 64, says: "Unknown option '--date'. Did you mean '--data'?"),
            Case(program: "trainer", arguments: ["train", "--population", population, "--customers", "c.csv", "--mailout-train", "t.csv"],
                 status: 64, says: "--values is missing"),
            Case(program: "trainer", arguments: ["train", "--population", population, "--values", values],
                 status: 64, says: "--customers and --mailout-train are missing"),
            Case(program: "trainer", arguments: ["clean", "--population", population, "--values", values, "--max-row-missing", "2"],
                 status: 64, says: "--max-row-missing 2.0: give a share between 0 and 1"),
            Case(program: "trainer", arguments: ["segment", "--population", population, "--customers", population, "--values", values, "--k", "1"],
                 status: 64, says: "--k 1: give at least 2"),
            Case(program: "trainer", arguments: ["synth", "--out", f.plainFile + "/data", "--scale", "-1"], status: 64, says: "scale"),
            // trainer: data errors (65)
            Case(program: "trainer", arguments: ["train", "--data", f.renamed, "--models", f.plainFile + ".models"] + quick,
                 status: 65, says: "Udacity_AZDIAS_052018.csv: column ANZ_PERS is in no other input file (they have ANZ_PERSONEN instead)"),
            Case(program: "trainer", arguments: ["predict", "-", "--bundle", f.bundle], stdin: "LNR;X\n1;2\n", status: 65,
                 says: "required column"),
            Case(program: "trainer", arguments: ["inspect", f.corrupt], status: 65, says: "corrupt.bundle"),
            // trainer: an input that cannot be opened (66)
            Case(program: "trainer", arguments: ["predict", "nope.csv", "--bundle", f.bundle], status: 66,
                 says: "cannot read nope.csv: No such file or directory"),
            Case(program: "trainer", arguments: ["predict", test, "--bundle", "/nonexistent/b.bundle"], status: 66, says: "/nonexistent/b.bundle"),
            Case(program: "trainer", arguments: ["inspect", "/nonexistent/b.bundle"], status: 66, says: "No such file or directory"),
            Case(program: "trainer", arguments: ["report", "/nonexistent/b.bundle", "--out", "-"], status: 66, says: "/nonexistent/b.bundle"),
            Case(program: "trainer", arguments: ["train", "--data", "/nonexistent/data"], status: 66, says: "/nonexistent/data/Udacity_AZDIAS_052018.csv"),
            Case(program: "trainer", arguments: ["metadata", "--values", "/nonexistent/values.xlsx"], status: 66, says: "/nonexistent/values.xlsx"),
            // trainer: an output that cannot be created (73)
            Case(program: "trainer", arguments: ["report", f.bundle, "--out", "/nonexistent/dir/r.html"], status: 73,
                 says: "cannot write /nonexistent/dir/r.html: the directory /nonexistent/dir does not exist"),
            Case(program: "trainer", arguments: ["train", "--data", f.data, "--models", f.plainFile + "/models"] + quick, status: 73,
                 says: "is not a directory"),
            // trainer: success (0)
            Case(program: "trainer", arguments: ["inspect", f.bundle], status: 0, says: nil),
            Case(program: "trainer", arguments: ["report", f.bundle, "--out", "-"], status: 0, says: nil),
            Case(program: "trainer", arguments: ["predict", test, "--bundle", f.bundle, "--progress", "log"], status: 0, says: nil),
            // scorer
            Case(program: "scorer", arguments: ["--bundle", f.bundle, "--stdn"], status: 64, says: "Unknown option '--stdn'. Did you mean '--stdin'?"),
            Case(program: "scorer", arguments: ["--bundle", f.bundle], status: 64, says: "give exactly one of --stdin and --socket PATH"),
            Case(program: "scorer", arguments: ["--bundle", f.bundle, "--socket", "/nonexistent/dir/s.sock"], status: 73,
                 says: "the directory /nonexistent/dir does not exist"),
            Case(program: "scorer", arguments: ["--bundle", "/nonexistent/b.bundle", "--stdin"], status: 66, says: "No such file or directory"),
            Case(program: "scorer", arguments: ["--bundle", f.corrupt, "--stdin"], status: 65, says: "corrupt.bundle"),
            Case(program: "scorer", arguments: ["--bundle", f.bundle, "--stdin"], stdin: "LNR;X\n1;2\n", status: 65, says: nil),
            Case(program: "scorer", arguments: ["--bundle", f.bundle, "--stdin"], stdin: "LNR;X\n", status: 65, says: nil),
            Case(program: "scorer", arguments: ["--bundle", f.bundle, "--stdin", "--log-format", "json"], stdin: "", status: 0, says: nil),
        ]
    }

    /// Runs `program` with `arguments`, `stdin` on its standard input; its status and stderr.
    static func run(_ program: String, _ arguments: [String], stdin: String) throws -> (status: Int32, stderr: String) {
        let directory = (KilledRunTests.trainer as NSString).deletingLastPathComponent
        let process = Process()
        process.executableURL = URL(fileURLWithPath: directory + "/" + program)
        process.arguments = arguments
        let input = Pipe()
        let errors = PipelineFixture.temporaryDirectory("stderr") + "/stderr"
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOfFile: errors, encoding: .utf8))
    }

    @Test("every command ends with its documented exit status and an error line that names the fix", arguments: cases)
    func exitStatus(_ c: Case) throws {
        let (status, stderr) = try Self.run(c.program, c.arguments, stdin: c.stdin)
        #expect(status == c.status, "\(c): \(stderr)")
        if let says = c.says { #expect(stderr.contains(says), "\(c): \(stderr)") }
        if c.status != 0, c.program == "trainer" {
            // One line that says what failed (ArgumentParser adds its usage lines to usage errors).
            #expect(!stderr.contains("Fatal error") && !stderr.contains("Stack dump"), "\(stderr)")
        }
    }

    @Test("train takes every cleaning option clean has, and they reach the bundle's parameters")
    func trainTakesCleaningOptions() throws {
        let models = PipelineFixture.temporaryDirectory("cleaning-options")
        let (status, stderr) = try Self.run("trainer", [
            "train", "--data", PipelineFixture.data, "--models", models, "--strict", "--drop-columns-without-metadata",
            "--max-column-missing", "0.4", "--max-row-missing", "0.6", "--components", "8", "--k", "4", "--restarts", "1",
            "--folds", "3", "--trees", "20", "--no-cache", "--progress", "log",
        ], stdin: "")
        #expect(status == 0, "\(stderr)")
        let manifest = try BundleFile.read(path: models + "/current").manifest
        let cleaning = JSONValue.object(manifest.parameters)
        guard case .object(let options)? = { if case .object(let p) = cleaning { p["cleaning"] } else { nil } }() else {
            Issue.record("no cleaning parameters in \(manifest.parameters)")
            return
        }
        #expect(options["strict"] == .bool(true))
        #expect(options["dropColumnsWithoutMetadata"] == .bool(true))
        #expect(options["maxColumnMissingShare"] == .number(0.4))
        #expect(options["maxRowMissingShare"] == .number(0.6))
    }
}
