import Testing

@testable import FulcrumImport

@Suite struct CSVReaderMultilineTests {
    @Test(arguments: chunkSizes) func embeddedCRLFThenBadRecordReportsRightLine(chunk: Int) {
        let text = "id,note,amount\r\n1,\"line one\r\nline two\",5\r\n2,ok\r\n"
        let (records, error) = readUntilError(Array(text.utf8), options(chunk: chunk), name: "deals.csv")
        #expect(records.map(\.fields) == [["1", "line one\r\nline two", "5"]])
        #expect(records[0].line == 2)
        #expect(
            records[0].fieldPositions == [
                CSVPosition(line: 2, column: 1), CSVPosition(line: 2, column: 3), CSVPosition(line: 3, column: 11),
            ])
        #expect(
            error
                == CSVError(
                    code: .raggedRow, file: "deals.csv", line: 4, column: 5,
                    message: "record at line 4 has 2 fields, header has 3"))
        #expect(error?.description == "deals.csv:4:5: record at line 4 has 2 fields, header has 3")
    }

    @Test(arguments: chunkSizes) func embeddedLFAndCRKeepLineNumbers(chunk: Int) throws {
        let (_, records) = try readAll("a,b\n\"x\ry\",1\n\"p\nq\",2\n3,\"\n\n\"\n5,6\n", options(chunk: chunk))
        #expect(records.map(\.fields) == [["x\ry", "1"], ["p\nq", "2"], ["3", "\n\n"], ["5", "6"]])
        #expect(records.map(\.line) == [2, 4, 6, 9])
        #expect(records[1].fieldPositions[1] == CSVPosition(line: 5, column: 4))
    }

    @Test(arguments: chunkSizes) func quotedFieldAtEOFWithoutNewline(chunk: Int) throws {
        let (_, records) = try readAll("a,b\n1,\"two\nlines\"", options(chunk: chunk))
        #expect(records.map(\.fields) == [["1", "two\nlines"]])
    }

    @Test func recordLargerThanLimitIsAnError() {
        var opts = options(chunk: 8)
        opts.maxRecordBytes = 64
        let text = "a\n\"" + String(repeating: "x", count: 200) + "\"\n"
        let (_, error) = readUntilError(text, opts)
        #expect(error?.code == .recordTooLarge)
        #expect(error?.line == 2)
    }

    @Test func longRecordGrowsBufferWithinLimit() throws {
        let long = String(repeating: "y,", count: 5000)
        let (_, records) = try readAll("a,b\n\"\(long)\",2\n", options(chunk: 16))
        #expect(records[0].fields == [long, "2"])
    }
}
