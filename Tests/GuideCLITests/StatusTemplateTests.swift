@testable import GuideCore
import Testing

@testable import GuideCLI
import GuideProtocol

@Suite struct StatusTemplateTests {
    @Test func everyPlaceholder() throws {
        let template = try StatusTemplate(
            "{state}|{session}|{title}|{step}|{index}|{count}|{side}|{remaining}|{total_remaining}|{elapsed}|{progress}")
        #expect(
            template.render(SampleStatus.running())
                == "running|cooldown|Back-friendly cooldown|Knee-to-chest|3|9|left|0:12|4:31|2:09|32")
    }

    @Test func idleLeavesEverythingButStateEmpty() throws {
        let template = try StatusTemplate("[{state}] {session}{index}/{count} {remaining} {progress}%")
        #expect(template.render(.idle) == "[idle] /  %")
    }

    @Test func bracesAreEscapedByDoubling() throws {
        #expect(try StatusTemplate("{{{state}}} {{x}}").render(.idle) == "{idle} {x}")
        #expect(try StatusTemplate("}}{{").render(.idle) == "}{")
        #expect(try StatusTemplate("plain text").render(.idle) == "plain text")
        #expect(try StatusTemplate("").render(.idle) == "")
    }

    @Test func unknownPlaceholderNamesItAndListsTheValidOnes() {
        #expect {
            try StatusTemplate("{session} {stepp}")
        } throws: { error in
            let message = (error as? StatusTemplate.ParseError)?.message ?? ""
            return message.contains("unknown placeholder {stepp}") && message.contains("did you mean {step}?")
                && message.contains(StatusTemplate.validPlaceholders)
        }
        #expect(StatusTemplate.validPlaceholders.hasPrefix("{state}, {session}, {title}"))
        #expect(StatusTemplate.validPlaceholders.contains("{total_remaining}"))
    }

    @Test(arguments: ["{state", "a } b", "{}", "{ state}"])
    func malformedTemplatesAreRejected(format: String) {
        #expect(throws: StatusTemplate.ParseError.self) { try StatusTemplate(format) }
    }

    @Test func timesAddUpToTheTotal() {
        // Remaining rounds up, elapsed rounds down: 2.4 s done of 10 s shows 0:02 + 0:08.
        var status = SampleStatus.running()
        status.elapsed = 2.4
        status.remaining = 7.6
        status.total = 10
        #expect(StatusTemplate.value(of: .elapsed, in: status) == "0:02")
        #expect(StatusTemplate.value(of: .totalRemaining, in: status) == "0:08")
        #expect(StatusTemplate.value(of: .progress, in: status) == "24")
    }

    @Test func progressIsAWholePercentRoundedDown() {
        var status = SampleStatus.running()
        status.elapsed = 399.9
        #expect(StatusTemplate.value(of: .progress, in: status) == "99")
        #expect(StatusTemplate.value(of: .progress, in: SampleStatus.finished) == "100")
    }
}
