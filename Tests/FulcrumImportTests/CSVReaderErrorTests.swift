import Testing

@testable import FulcrumImport

@Suite struct CSVReaderErrorTests {
    @Test(arguments: chunkSizes) func raggedRowTooManyFieldsThenContinues(chunk: Int) throws {
        let reader = try CSVReader(string: "a,b\n1,2,3\n4,5\n", options: options(chunk: chunk))
        let error = #expect(throws: CSVError.self) { try reader.next() }
        #expect(
            error
                == CSVError(
                    code: .raggedRow, file: "<memory>", line: 2, column: 5,
                    message: "record at line 2 has 3 fields, header has 2"))
        #expect(try reader.next()?.fields == ["4", "5"])
        #expect(try reader.next() == nil)
    }

    @Test func raggedRowTooFewFieldsPointsPastLastField() {
        let (_, error) = readUntilError("a,b,c\n\"x\ny\",2\n")
        #expect(error?.line == 3)
        #expect(error?.column == 5)
        #expect(error?.message == "record at line 2 has 2 fields, header has 3")
    }

    @Test(arguments: chunkSizes) func unterminatedQuoteNamesOpeningLine(chunk: Int) throws {
        let reader = try CSVReader(string: "a,b\n1,2\n3,\"abc\ndef\n", name: "in.csv", options: options(chunk: chunk))
        #expect(try reader.next()?.fields == ["1", "2"])
        let error = #expect(throws: CSVError.self) { try reader.next() }
        #expect(error?.description == "in.csv:3:3: unterminated quoted field (quote opened at line 3, column 3)")
        #expect(error?.code == .unterminatedQuote)
        // The line the quote opened on is skipped (and kept for the reject file); reading resumes on the next.
        #expect(reader.badRecordText == "3,\"abc")
        let next = #expect(throws: CSVError.self) { try reader.next() }
        #expect(next?.code == .raggedRow)
        #expect(next?.line == 4)
        #expect(reader.badRecordText == "def")
        #expect(try reader.next() == nil)
    }

    /// A quote left open mid-file is blamed on the line it opened on, not on the line where the next quote
    /// happens to close it, and every later record is still read.
    @Test(arguments: chunkSizes) func unclosedQuoteMidFileBlamesItsLineAndReadingGoesOn(chunk: Int) throws {
        var text = "id,name,note\n1,Acme,ok\n2,\"Beta,x\n3,\"Gamma\",y\n"
        for i in 4...50 { text += "\(i),Name \(i),\"n \(i)\"\n" }
        let reader = try CSVReader(string: text, name: "in.csv", options: options(chunk: chunk))
        #expect(try reader.next()?.fields == ["1", "Acme", "ok"])
        let error = #expect(throws: CSVError.self) { try reader.next() }
        #expect(error?.line == 3)
        #expect(error?.column == 3)
        #expect(error?.code == .unterminatedQuote)
        #expect(reader.badRecordText == "2,\"Beta,x")
        var ids: [String] = []
        while let r = try reader.next() { ids.append(r.fields[0]) }
        #expect(ids == (3...50).map(String.init))
    }

    /// A stray quote costs its own line only.
    @Test(arguments: chunkSizes) func strayQuoteSkipsOneLine(chunk: Int) throws {
        let reader = try CSVReader(string: "a,b\n1,x\"y\n2,z\r\n3,w", options: options(chunk: chunk))
        let error = #expect(throws: CSVError.self) { try reader.next() }
        #expect(error?.code == .strayQuote)
        #expect(reader.badRecordText == "1,x\"y")
        #expect(try reader.next()?.fields == ["2", "z"])
        #expect(try reader.next()?.fields == ["3", "w"])
        #expect(try reader.next() == nil)
    }

    /// A line longer than the record limit is skipped in bounded memory; its kept text is cut.
    @Test func oversizedLineIsSkipped() throws {
        let long = "2,\"" + String(repeating: "x", count: 5000)
        let reader = try CSVReader(
            string: "a,b\n" + long + "\n3,ok\n",
            options: CSVReader.Options(chunkSize: 64, maxRecordBytes: 1024))
        let error = #expect(throws: CSVError.self) { try reader.next() }
        #expect(error?.code == .recordTooLarge)
        #expect(reader.badRecordText?.hasPrefix("2,\"xxx") == true)
        #expect(try reader.next()?.fields == ["3", "ok"])
    }

    /// Ragged rows and invalid UTF-8 keep the record's text for the reject file.
    @Test func perRecordErrorsKeepTheRecordText() throws {
        let reader = try CSVReader(string: "a,b\n1,2,3\n\"q\nr\"\n4,5\n")
        #expect(throws: CSVError.self) { try reader.next() }
        #expect(reader.badRecordText == "1,2,3")
        #expect(throws: CSVError.self) { try reader.next() }
        #expect(reader.badRecordText == "\"q\nr\"")
        #expect(try reader.next()?.fields == ["4", "5"])
    }

    @Test func strayQuoteInUnquotedField() {
        let (records, error) = readUntilError("a,b\n1,2\n1,ab\"c\n")
        #expect(records.count == 1)
        #expect(
            error
                == CSVError(
                    code: .strayQuote, file: "<memory>", line: 3, column: 5,
                    message: "quote inside an unquoted field (quote the whole field and double inner quotes)"))
    }

    @Test func textAfterClosingQuote() {
        let (_, error) = readUntilError("a,b\n\"x\"y,2\n")
        #expect(error?.code == .strayQuote)
        #expect(error?.line == 2)
        #expect(error?.column == 4)
        #expect(
            error?.message
                == "unexpected character after closing quote (quoted fields must end at a delimiter or line end)")
    }

    @Test func spaceBeforeOpeningQuoteIsStrict() {
        let (_, error) = readUntilError("a,b\n1, \"x\"\n")
        #expect(error?.code == .strayQuote)
        #expect(error?.column == 4)
    }

    @Test(arguments: chunkSizes) func invalidUTF8NamesLineAndColumnThenContinues(chunk: Int) throws {
        let bytes =
            Array("a,b\nok,fine\nx,caf".utf8) + [0xFF] + Array("\n\"multi\nli".utf8) + [0xC3]
            + Array("\",2\nlast,1\n".utf8)
        let reader = try CSVReader(bytes: bytes, name: "bad.csv", options: options(chunk: chunk))
        #expect(try reader.next()?.fields == ["ok", "fine"])
        let first = #expect(throws: CSVError.self) { try reader.next() }
        #expect(first?.description == "bad.csv:3:6: invalid UTF-8 byte 0xFF in field 2")
        #expect(first?.code == .invalidUTF8)
        let second = #expect(throws: CSVError.self) { try reader.next() }
        #expect(second?.description == "bad.csv:5:3: invalid UTF-8 byte 0xC3 in field 1")
        let last = try reader.next()
        #expect(last?.fields == ["last", "1"])
        #expect(last?.line == 6)
    }

    @Test func invalidUTF8InHeader() {
        let (_, error) = readUntilError([0x61, 0x2C, 0xC0, 0xAF, 0x0A, 0x31, 0x2C, 0x32])
        #expect(error?.description == "<memory>:1:3: invalid UTF-8 byte 0xC0 in field 2")
    }

    /// A stray quote after a properly closed multi-line field ends the record on the error's line: the lines
    /// inside the quoted field are never read as records of their own.
    @Test(arguments: chunkSizes) func strayQuoteAfterMultilineFieldSkipsTheWholeRecord(chunk: Int) throws {
        let text =
            "id,name,created_on\nA1,\"Acme\nnotes: X9,Injected,2024-05-05\nend\",2024-01-01x\"\nA2,Good,2024-01-02\n"
        let reader = try CSVReader(string: text, options: options(chunk: chunk))
        let error = #expect(throws: CSVError.self) { try reader.next() }
        #expect(error?.code == .strayQuote)
        #expect(error?.line == 4)
        #expect(reader.badRecordText == "A1,\"Acme\nnotes: X9,Injected,2024-05-05\nend\",2024-01-01x\"")
        let next = try reader.next()
        #expect(next?.fields == ["A2", "Good", "2024-01-02"])
        #expect(next?.line == 5)
        #expect(try reader.next() == nil)
    }
}
