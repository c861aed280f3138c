import Foundation

// libFuzzer's entry points for the Prospector fuzz targets (README "Checking: sanitizers and
// fuzzing"). One binary hosts every target; PROSPECTOR_FUZZ_TARGET picks the one a run fuzzes,
// so the libraries are built and linked with the fuzzer's instrumentation once.
// Built with `-sanitize=fuzzer,address -parse-as-library`. SwiftPM links an executable's `main`
// to `<module>_main` (so tests can link executables), which keeps libFuzzer's own `main` out:
// `ProspectorFuzz_main` below starts libFuzzer's driver itself.

/// The target of this process, chosen once in `LLVMFuzzerInitialize`.
nonisolated(unsafe) private var selectedTarget: FuzzTarget?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> CInt {
    let environment = ProcessInfo.processInfo.environment
    if let output = environment["PROSPECTOR_FUZZ_WRITE_SEEDS"] {
        SeedWriter.write(to: output, environment: environment)
        exit(0)
    }
    guard let name = environment["PROSPECTOR_FUZZ_TARGET"], let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("set PROSPECTOR_FUZZ_TARGET to one of: \(names)\n".utf8))
        exit(64)
    }
    target.prepare()
    selectedTarget = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selectedTarget?.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

/// libFuzzer's driver (compiler-rt's FuzzerInterface.h): parses the flags, then fuzzes `callback`.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("ProspectorFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzerTestOneInput)
}
