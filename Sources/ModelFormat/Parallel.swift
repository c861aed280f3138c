// The one parallel helper, `Parallel`, lives in the small `Concurrency` module so that XLSX,
// Tabular and Synth use it too. Re-exported here so that code that imports ModelFormat (and
// its public default arguments, such as `workers: Int = Parallel.defaultWorkers`) keeps
// working unchanged.
@_exported import Concurrency
