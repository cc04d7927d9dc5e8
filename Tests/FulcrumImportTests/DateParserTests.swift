import Testing

@testable import FulcrumImport

@Suite struct DateParserTests {
    let jan15 = 19737
    let jan15at102030: Int64 = 1_705_314_030

    @Test(arguments: [
        "2024-01-15", "2024/01/15", "01/15/2024", "15/01/2024", "15.01.2024", "Jan 15, 2024",
        "January 15, 2024", "january 15 2024", "15-Jan-2024", " 2024-01-15 ", "2024-01-15T10:20:30Z",
    ])
    func dateForms(text: String) {
        #expect(DateParser.days(text) == .success(jan15))
    }

    @Test func isoTimestamps() {
        #expect(DateParser.timestamp("2024-01-15T10:20:30Z") == .success(jan15at102030))
        #expect(DateParser.timestamp("2024-01-15T10:20:30.123+02:00") == .success(jan15at102030 - 7200))
        #expect(DateParser.timestamp("2024-01-15T10:20:30.000+0000") == .success(jan15at102030))
        #expect(DateParser.timestamp("2024-01-15T10:20:30-0530") == .success(jan15at102030 + 19800))
        #expect(DateParser.timestamp("2024-01-15T10:20:30+02") == .success(jan15at102030 - 7200))
        #expect(DateParser.timestamp("2024-01-15 10:20:30") == .success(jan15at102030))
        #expect(DateParser.timestamp("2024-01-15 10:20:30 UTC") == .success(jan15at102030))
        #expect(DateParser.timestamp("2024-01-15T10:20") == .success(jan15at102030 - 30))
        #expect(DateParser.timestamp("2024-01-15") == .success(Int64(jan15) * 86_400))
    }

    @Test func naiveDatetimesUseTheTimeZoneOption() {
        let ist = DateParseOptions(timeZone: UTCOffset("+05:30")!)
        #expect(DateParser.timestamp("2024-01-15 10:20:30", options: ist) == .success(jan15at102030 - 19800))
        #expect(DateParser.timestamp("2024-01-15T10:20:30Z", options: ist) == .success(jan15at102030))
        #expect(DateParser.timestamp("2024-01-15", options: ist) == .success(Int64(jan15) * 86_400 - 19800))
    }

    @Test func daysAreTheWrittenDateEvenWithOffsets() {
        #expect(DateParser.days("2024-01-15T23:30:00-05:00") == .success(jan15))
    }

    @Test func slashOrders() {
        let us = DateParseOptions(slashOrder: .monthFirst)
        let eu = DateParseOptions(slashOrder: .dayFirst)
        #expect(DateParser.days("1/5/2024", options: us) == .success(19727))
        #expect(DateParser.days("1/5/2024", options: eu) == .success(19844))
        #expect(
            DateParser.days("13/01/2024", options: us)
                == .failure(ValueError("invalid date '13/01/2024': month 13 out of range (format MM/DD/YYYY)")))
        #expect(DateParser.days("05/05/2024") == .success(19848))
        #expect(
            DateParser.days("01/02/2024")
                == .failure(
                    ValueError("ambiguous date '01/02/2024': could be MM/DD/YYYY or DD/MM/YYYY; set the date order")))
        #expect(
            DateParser.days("13/14/2024")
                == .failure(ValueError("invalid date '13/14/2024': neither 13 nor 14 is a month")))
    }

    @Test func twelveHourClock() {
        let us = DateParseOptions(slashOrder: .monthFirst)
        #expect(DateParser.timestamp("1/5/2024 3:04 PM", options: us) == .success(Int64(1_704_412_800 + 54_240)))
        #expect(DateParser.timestamp("1/5/2024 12:00 am", options: us) == .success(Int64(1_704_412_800)))
    }

    @Test func slashOrderDetectionPerColumn() {
        #expect(DateParser.detectSlashOrder(["01/02/2024", "13/02/2024"]) == .success(.dayFirst))
        #expect(DateParser.detectSlashOrder(["01/13/2024", "02/01/2024"]) == .success(.monthFirst))
        #expect(DateParser.detectSlashOrder(["2024-01-01"]) == .success(.auto))
        #expect(
            DateParser.detectSlashOrder(["13/01/2024", "01/13/2024"])
                == .failure(
                    ValueError(
                        "conflicting date orders in column: '13/01/2024' is DD/MM/YYYY but '01/13/2024' is MM/DD/YYYY"))
        )
        #expect(
            DateParser.detectSlashOrder(["01/02/2024", "03/04/2024"])
                == .failure(
                    ValueError(
                        "ambiguous date order in column: no day above 12 (e.g. '01/02/2024'); set MM/DD/YYYY or DD/MM/YYYY"
                    )))
    }

    @Test func impossibleDatesAndTimesAreRejected() {
        #expect(
            DateParser.days("2023-02-29")
                == .failure(ValueError("invalid date '2023-02-29': day 29 out of range for 2023-02")))
        #expect(DateParser.days("2024-02-29") == .success(19782))
        #expect(
            DateParser.days("2024-13-01") == .failure(ValueError("invalid date '2024-13-01': month 13 out of range")))
        #expect(
            DateParser.timestamp("2024-01-15T24:00:00") == .failure(ValueError("invalid time in '2024-01-15T24:00:00'"))
        )
        #expect(
            DateParser.timestamp("2024-01-15T10:20:60") == .failure(ValueError("invalid time in '2024-01-15T10:20:60'"))
        )
        #expect(DateParser.days("24-01-15") == .failure(ValueError("not a recognised date: '24-01-15'")))
        #expect(DateParser.days("Foo 15, 2024") == .failure(ValueError("not a recognised date: 'Foo 15, 2024'")))
        #expect(DateParser.days("") == .failure(ValueError("not a recognised date: ''")))
        #expect(
            DateParser.timestamp("2024-01-15T10:20:30+25:00")
                == .failure(ValueError("not a recognised date: '2024-01-15T10:20:30+25:00'")))
    }

    @Test func epochTimes() {
        let s = DateParseOptions(epoch: .seconds)
        let ms = DateParseOptions(epoch: .milliseconds)
        #expect(DateParser.timestamp("1705314030", options: s) == .success(jan15at102030))
        #expect(DateParser.timestamp("1705314030999", options: ms) == .success(jan15at102030))
        #expect(DateParser.timestamp("-1", options: ms) == .success(-1))
        #expect(DateParser.days("1705314030", options: s) == .success(jan15))
        #expect(DateParser.days("-1", options: s) == .success(-1))
        #expect(
            DateParser.days("2024-01-15", options: s)
                == .failure(ValueError("not an epoch time in seconds: '2024-01-15'")))
    }

    @Test func beforeEpochAndSeptember() {
        #expect(DateParser.days("1969-12-31") == .success(-1))
        #expect(DateParser.days("Sept 1, 2024") == .success(19967))
    }

    @Test func utcOffsets() {
        #expect(UTCOffset("+05:30")?.seconds == 19800)
        #expect(UTCOffset("+0530")?.seconds == 19800)
        #expect(UTCOffset("-08:00")?.seconds == -28800)
        #expect(UTCOffset("Z") == .utc)
        #expect(UTCOffset("UTC") == .utc)
        #expect(UTCOffset("+25:00") == nil)
        #expect(UTCOffset("Europe/Paris") == nil)
    }
}
