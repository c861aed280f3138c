import Foundation
import ModelFormat

#if canImport(Glibc)
import Glibc
#endif

/// The standard `process_*` metrics of the Prometheus client libraries (resident and virtual
/// memory, CPU seconds, open and maximum file descriptors, start time), read from `/proc/self`
/// (CPU seconds from `getrusage`, finer than /proc's ticks) at scrape time, and `scorer_build_info` naming the binary. An operator's dashboards for other
/// services work for the scorer unchanged.
package struct ProcessMetrics: Sendable, Equatable {
    package var residentMemoryBytes: Double
    package var virtualMemoryBytes: Double
    package var cpuSeconds: Double
    package var openFileDescriptors: Int
    package var maxFileDescriptors: Int?
    package var startTimeSeconds: Double

    /// The current process's figures; nil where `/proc` is not mounted.
    package static func current() -> ProcessMetrics? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let bootTime = bootTimeSeconds(),
            let parsed = parse(stat: stat, ticksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))),
                pageSize: Double(sysconf(Int32(_SC_PAGESIZE))), bootTime: bootTime)
        else { return nil }
        var metrics = parsed
        // CPU time from getrusage (microseconds) rather than /proc's clock ticks (10 ms): a
        // scorer that has just loaded a small bundle may have used less than one tick.
        var usage = rusage()
        if getrusage(RUSAGE_SELF.rawValue, &usage) == 0 {
            metrics.cpuSeconds = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }
        metrics.openFileDescriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {  // RLIM_INFINITY
            metrics.maxFileDescriptors = Int(limit.rlim_cur)
        }
        return metrics
    }

    /// The figures of one `/proc/PID/stat` line (proc(5)): the command name in parentheses may
    /// hold spaces, so fields are counted from the last ')'. Field 14 utime, 15 stime (ticks),
    /// 22 starttime (ticks after boot), 23 vsize (bytes), 24 rss (pages).
    static func parse(stat: String, ticksPerSecond: Double, pageSize: Double, bootTime: Double) -> ProcessMetrics? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        // After ')' come fields 3, 4, ...: index i holds field i + 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        func field(_ number: Int) -> Double? {
            let i = number - 3
            return i < fields.count ? Double(fields[i]) : nil
        }
        guard let utime = field(14), let stime = field(15), let start = field(22), let vsize = field(23),
            let rss = field(24), ticksPerSecond > 0
        else { return nil }
        return ProcessMetrics(
            residentMemoryBytes: rss * pageSize, virtualMemoryBytes: vsize, cpuSeconds: (utime + stime) / ticksPerSecond,
            openFileDescriptors: 0, maxFileDescriptors: nil, startTimeSeconds: bootTime + start / ticksPerSecond)
    }

    /// The boot time, Unix seconds: the real-time clock less the time since boot
    /// (`CLOCK_BOOTTIME`, the clock of /proc's start times). Read from clocks rather than
    /// /proc/stat, which a hardened unit (`ProcSubset=pid`) hides.
    static func bootTimeSeconds() -> Double? {
        var now = timespec(), sinceBoot = timespec()
        guard clock_gettime(CLOCK_REALTIME, &now) == 0, clock_gettime(CLOCK_BOOTTIME, &sinceBoot) == 0 else { return nil }
        return Double(now.tv_sec - sinceBoot.tv_sec) + Double(now.tv_nsec - sinceBoot.tv_nsec) / 1e9
    }

    /// The exposition of these figures and of `scorer_build_info`, appended to `/metrics`.
    package static func prometheusText(_ metrics: ProcessMetrics?) -> String {
        var text = ""
        func metric(_ name: String, _ type: String, _ help: String, _ sample: String) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name)\(sample)\n"
        }
        let version = ScorerMetrics.escapeLabel(ProspectorVersion.current)
        let commit = ScorerMetrics.escapeLabel(ProspectorVersion.commit)
        metric(
            "scorer_build_info", "gauge", "The scorer binary: Prospector version and git commit.",
            "{version=\"\(version)\",commit=\"\(commit)\"} 1")
        guard let m = metrics else { return text }
        metric("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", " \(m.cpuSeconds)")
        metric("process_open_fds", "gauge", "Number of open file descriptors.", " \(m.openFileDescriptors)")
        if let max = m.maxFileDescriptors {
            metric("process_max_fds", "gauge", "Maximum number of open file descriptors.", " \(max)")
        }
        metric("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", " \(m.virtualMemoryBytes)")
        metric("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", " \(m.residentMemoryBytes)")
        metric(
            "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.",
            " \(m.startTimeSeconds)")
        return text
    }
}
