import Foundation
import ModelFormat
import Testing

@testable import ScoringService

@Suite("Process metrics")
struct ProcessMetricsTests {
    @Test("a /proc/PID/stat line: CPU, start time, memory; a command name with spaces and ')' is skipped")
    func parseStat() throws {
        // Fields 3... after the command: state S, ppid 1, ..., utime 250 (14), stime 130 (15),
        // starttime 5000 (22), vsize 104857600 (23), rss 2560 pages (24).
        let stat =
            "1234 (my (odd) prog) S 1 1234 1234 0 -1 4194560 500 0 0 0 250 130 0 0 20 0 3 0 5000 104857600 2560 "
            + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"
        let metrics = try #require(
            ProcessMetrics.parse(stat: stat, ticksPerSecond: 100, pageSize: 4096, bootTime: 1_700_000_000))
        #expect(metrics.cpuSeconds == 3.8)  // (250 + 130) / 100
        #expect(metrics.startTimeSeconds == 1_700_000_050)  // boot + 5000 / 100
        #expect(metrics.virtualMemoryBytes == 104_857_600)
        #expect(metrics.residentMemoryBytes == 10_485_760)  // 2560 * 4096
        #expect(ProcessMetrics.parse(stat: "1234 (cut", ticksPerSecond: 100, pageSize: 4096, bootTime: 0) == nil)
    }

    @Test("this process: start time agrees with ps, open descriptors and memory are plausible")
    func currentProcess() throws {
        let metrics = try #require(ProcessMetrics.current())
        let ps = Process()
        ps.executableURL = URL(fileURLWithPath: "/bin/ps")
        ps.arguments = ["-o", "etimes=", "-p", String(getpid())]
        let out = Pipe()
        ps.standardOutput = out
        try ps.run()
        ps.waitUntilExit()
        let elapsed = try #require(
            Double(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)))
        let startFromPs = Date().timeIntervalSince1970 - elapsed
        #expect(abs(metrics.startTimeSeconds - startFromPs) < 2.5)
        #expect(metrics.openFileDescriptors >= 3)
        #expect(metrics.residentMemoryBytes > 1_000_000)
        #expect(metrics.cpuSeconds > 0)
        // getrusage's microseconds agree with /proc's 10 ms ticks (which truncate).
        let stat = try String(contentsOfFile: "/proc/self/stat", encoding: .utf8)
        let ticks = try #require(ProcessMetrics.parse(stat: stat, ticksPerSecond: 100, pageSize: 4096, bootTime: 0))
        #expect(metrics.cpuSeconds > ticks.cpuSeconds - 0.05 && metrics.cpuSeconds < ticks.cpuSeconds + 0.05)
    }

    @Test("the exposition names the build and the process figures")
    func exposition() {
        let metrics = ProcessMetrics(
            residentMemoryBytes: 10_485_760, virtualMemoryBytes: 104_857_600, cpuSeconds: 3.8, openFileDescriptors: 9,
            maxFileDescriptors: 1024, startTimeSeconds: 1_700_000_050)
        let text = ProcessMetrics.prometheusText(metrics)
        #expect(text.contains("\nscorer_build_info{version=\"\(ProspectorVersion.current)\",commit=\""))
        #expect(text.contains("\n# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 3.8\n"))
        #expect(text.contains("\nprocess_open_fds 9\n"))
        #expect(text.contains("\nprocess_max_fds 1024\n"))
        #expect(text.contains("\nprocess_resident_memory_bytes 10485760.0\n"))
        #expect(text.contains("\nprocess_start_time_seconds 1700000050.0\n"))
        #expect(!ProcessMetrics.prometheusText(nil).contains("process_"))
    }
}
