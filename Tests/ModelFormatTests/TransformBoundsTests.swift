import Testing

@testable import ModelFormat

/// The program reads and writes rows through unchecked pointers; a buffer of the wrong length
/// must stop the process at the boundary instead of reading or writing past its end.
@Suite struct TransformBoundsTests {
    @Test("rows of the right lengths are accepted (empty outputs skip a stage)")
    func rightLengths() {
        let program = Fixtures.transform.program()
        var inputs = [Double](repeating: 1, count: program.inputCount)
        var raw = [Double](repeating: 0, count: program.featureCount)
        let share = inputs.withUnsafeMutableBufferPointer { i in
            raw.withUnsafeMutableBufferPointer { r in program.apply(inputs: i, raw: r, scaled: .init(start: nil, count: 0)) }
        }
        #expect(share == 0)
        #expect(raw[0] == 1)
    }

    @Test("a short input row stops the process")
    func shortInputs() async {
        await #expect(processExitsWith: .failure) {
            let program = Fixtures.transform.program()
            var inputs = [Double](repeating: 1, count: program.inputCount - 1)
            _ = inputs.withUnsafeMutableBufferPointer { program.clean($0) }
        }
    }

    @Test("a short output row stops the process")
    func shortOutputs() async {
        await #expect(processExitsWith: .failure) {
            let program = Fixtures.transform.program()
            var inputs = [Double](repeating: 1, count: program.inputCount)
            var scaled = [Double](repeating: 0, count: 2)
            _ = inputs.withUnsafeMutableBufferPointer { i in
                scaled.withUnsafeMutableBufferPointer { s in program.apply(inputs: i, raw: .init(start: nil, count: 0), scaled: s) }
            }
        }
    }

    @Test("CleaningTransform.apply with the wrong number of inputs stops the process")
    func arrayConvenience() async {
        await #expect(processExitsWith: .failure) {
            _ = Fixtures.transform.apply(inputs: [1, 2])
        }
    }
}
