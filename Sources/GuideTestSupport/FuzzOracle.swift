import FoundationEssentials
import GuideCore
import GuideProtocol

/// The checks behind the libFuzzer targets in `Fuzz/`, shared with the regression tests so
/// that a saved crash input runs through exactly the code the fuzzer ran.
///
/// Each check feeds bytes through the production code path and returns the invariants the
/// result broke (empty when all is well). The fuzz entry points trap on a non-empty list so
/// that libFuzzer records the input; the tests `#expect` it to be empty. This file is
/// compiled on its own into the fuzz binaries (see `Fuzz/run.sh`), so it uses nothing else
/// from GuideTestSupport.
public enum FuzzOracle {
    /// What the protocol target saw for one input.
    public struct ProtocolOutcome: Sendable {
        /// Complete lines the framer produced (fed all at once).
        public var lines = 0
        /// Lines (and the whole input as one line) that parsed as requests, and that did not.
        public var accepted = 0
        public var rejected = 0
        /// The framer refused a line over the 64 KiB cap.
        public var tooLong = false
        public var problems: [String] = []

        public init() {}
    }

    /// What the session target saw for one input.
    public struct SessionOutcome: Sendable {
        public var session: Session?
        public var error: SessionError?
        public var problems: [String] = []

        public init() {}
    }

    // MARK: - Protocol lines

    /// Frames `bytes` as a connection's stream (all at once and in small chunks, which must
    /// agree), parses every line and the whole input as a request, and encodes each result
    /// or failure reply the way the daemon does.
    public static func checkProtocol(_ bytes: [UInt8]) -> ProtocolOutcome {
        var outcome = ProtocolOutcome()
        var whole = LineFramer()
        let wholeLines: [[UInt8]]?
        do {
            wholeLines = try whole.append(bytes)
        } catch {
            wholeLines = nil
            outcome.tooLong = true
        }
        // The same stream in chunks of 1 to 17 bytes: framing must not depend on how the
        // bytes arrive.
        var chunked = LineFramer()
        var chunkedLines: [[UInt8]] = []
        var chunkedFailed = false
        let step = 1 + Int(bytes.first ?? 0) % 17
        var start = 0
        while start < bytes.count {
            let end = min(start + step, bytes.count)
            do {
                chunkedLines += try chunked.append(bytes[start..<end])
            } catch {
                chunkedFailed = true
                break
            }
            start = end
        }
        if let wholeLines {
            if chunkedFailed {
                outcome.problems.append("framer: chunks of \(step) bytes hit line-too-long, all at once did not")
            } else if chunkedLines != wholeLines {
                outcome.problems.append("framer: chunks of \(step) bytes gave \(chunkedLines.count) lines, all at once \(wholeLines.count)")
            } else if chunked.hasPartialLine != whole.hasPartialLine {
                outcome.problems.append("framer: partial line differs between chunked and whole input")
            }
            outcome.lines = wholeLines.count
            for (n, line) in wholeLines.enumerated() {
                if line.count > LineFramer.maximumLineLength {
                    outcome.problems.append("framer: a line of \(line.count) bytes passed the cap")
                }
                if line.contains(0x0A) { outcome.problems.append("framer: a line contains a newline") }
                // Every line is parsed; only the first few are also sent through the
                // (slow) Foundation coder, so that inputs of many short lines stay fast.
                checkRequestLine(line, encode: n < encodedLinesPerInput, into: &outcome)
            }
        } else if !chunkedFailed {
            outcome.problems.append("framer: all at once hit line-too-long, chunks of \(step) bytes did not")
        }
        // The whole input as one line, newlines and all (JSON whitespace may contain them).
        checkRequestLine(bytes, into: &outcome)
        return outcome
    }

    /// How many of an input's lines also go through `WireCoding`.
    static let encodedLinesPerInput = 16

    /// Parses one line and encodes what the daemon would answer: an accepted request must
    /// survive the client's encoding unchanged, a failure reply must be one valid line.
    static func checkRequestLine(_ line: [UInt8], encode: Bool = true, into outcome: inout ProtocolOutcome) {
        switch Request.parse(line: line) {
        case .success(let request):
            outcome.accepted += 1
            if request.command.needsSession, request.session == nil {
                outcome.problems.append("request: \(request.command.rawValue) accepted without a session")
            }
            guard encode else { return }
            let encoded = WireCoding.encodeLine(request)
            checkOneLine(encoded, what: "encoded request", into: &outcome)
            switch Request.parse(line: encoded.dropLast()) {
            case .success(let again) where again == request: break
            case .success(let again): outcome.problems.append("request: re-encoded as \(again), was \(request)")
            case .failure(let failure): outcome.problems.append("request: its own encoding is rejected: \(failure.error.message)")
            }
            checkReply(Response(id: request.id), into: &outcome)
        case .failure(let failure):
            outcome.rejected += 1
            if failure.error.message.isEmpty { outcome.problems.append("request: an error without a message") }
            guard encode else { return }
            checkReply(Response.failure(failure.error, id: failure.id), into: &outcome)
        }
    }

    static func checkReply(_ reply: Response, into outcome: inout ProtocolOutcome) {
        let encoded = WireCoding.encodeLine(reply)
        checkOneLine(encoded, what: "reply", into: &outcome)
        do {
            let decoded = try WireCoding.decode(Response.self, from: Array(encoded.dropLast()))
            if decoded != reply { outcome.problems.append("reply: does not decode to itself") }
        } catch {
            outcome.problems.append("reply: its encoding does not decode: \(error)")
        }
    }

    static func checkOneLine(_ encoded: [UInt8], what: String, into outcome: inout ProtocolOutcome) {
        if encoded.last != 0x0A || encoded.dropLast().contains(0x0A) {
            outcome.problems.append("\(what): not exactly one line")
        }
    }

    // MARK: - Session files

    /// Decodes `bytes` as `fuzz.json`; a rejected file must give a one-line error, an
    /// accepted one a timeline that keeps every invariant of docs/session-format.md.
    public static func checkSession(_ bytes: [UInt8]) -> SessionOutcome {
        var outcome = SessionOutcome()
        do {
            let session = try SessionDecoder.decode(bytes, fileName: "fuzz.json")
            outcome.session = session
            outcome.problems = sessionProblems(session)
        } catch {
            outcome.error = error
            let text = error.description
            if error.file != "fuzz.json" { outcome.problems.append("error: names file \(error.file)") }
            if error.message.isEmpty { outcome.problems.append("error: empty message") }
            if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                outcome.problems.append("error: not one printable line: \(JSONValue.quoted(text))")
            }
        }
        return outcome
    }

    static func sessionProblems(_ session: Session) -> [String] {
        var problems: [String] = []
        func check(_ ok: Bool, _ what: @autoclosure () -> String) { if !ok { problems.append(what()) } }

        check(Session.stepCountRange.contains(session.steps.count), "steps: \(session.steps.count) accepted")
        check(Session.roundsRange.contains(session.rounds), "rounds: \(session.rounds) accepted")
        if let rest = session.roundRest { check(Step.durationRange.contains(rest), "roundRest: \(rest) accepted") }
        for step in session.steps {
            check(Step.durationRange.contains(step.duration), "step duration \(step.duration) accepted")
            check(!step.name.allSatisfy(\.isWhitespace), "an empty step name accepted")
        }

        let timeline = Timeline(session)
        let total = Timeline.totalDuration(of: session)
        check(timeline.total == total, "timeline total \(timeline.total) != totalDuration \(total)")
        check(timeline.total <= Session.maximumTotal, "total \(timeline.total) over 12h")
        check(timeline.total > .zero, "total is not positive")

        let perRound = session.steps.reduce(0) { $0 + ($1.sides ? 2 : 1) }
        let rests = session.roundRest == nil ? 0 : session.rounds - 1
        check(timeline.segments.count == perRound * session.rounds + rests, "segment count \(timeline.segments.count)")
        var offset = Duration.zero
        for (i, segment) in timeline.segments.enumerated() {
            check(segment.index == i, "segment \(i) has index \(segment.index)")
            check(segment.offset == offset, "segment \(i) starts at \(segment.offset), previous ended at \(offset)")
            check(segment.duration > .zero, "segment \(i) is empty")
            check(session.steps.indices.contains(segment.stepIndex), "segment \(i) names step \(segment.stepIndex)")
            check((1...session.rounds).contains(segment.round), "segment \(i) in round \(segment.round)")
            offset = segment.end
            if segment.duration > .zero {
                check(timeline.segmentIndex(at: segment.offset) == i, "segmentIndex(at: start of \(i)) is wrong")
            }
        }
        check(offset == timeline.total, "segments end at \(offset), total is \(timeline.total)")

        let cues = timeline.cues
        check(cues.first?.kind == .start && cues.first?.offset == .zero, "the first cue is not start at 0")
        check(cues.last?.kind == .end && cues.last?.offset == timeline.total, "the last cue is not end at the total")
        check(cues.filter { $0.kind == .start }.count == 1, "not exactly one start cue")
        check(cues.filter { $0.kind == .end }.count == 1, "not exactly one end cue")
        for (i, cue) in cues.enumerated() {
            check(cue.index == i, "cue \(i) has index \(cue.index)")
            if i > 0 { check(cues[i - 1].offset <= cue.offset, "cues out of order at \(i)") }
            guard timeline.segments.indices.contains(cue.segment) else {
                problems.append("cue \(i) names segment \(cue.segment)")
                continue
            }
            let segment = timeline.segments[cue.segment]
            check(cue.offset >= segment.offset && cue.offset <= segment.end, "cue \(i) outside its segment")
            if cue.kind == .countdown {
                check((1...3).contains(cue.secondsLeft), "countdown cue \(i) with \(cue.secondsLeft) s left")
                check(segment.duration >= Timeline.countdownMinimum, "countdown in a short segment")
            }
            if i == 0 || cues[i - 1].offset < cue.offset {
                check(timeline.firstCue(atOrAfter: cue.offset) == i, "firstCue(atOrAfter: cue \(i)) is wrong")
            }
        }

        // What `show` and `list` answer with must encode as one line and decode to itself.
        let detail = SessionDetail(session)
        let encoded = WireCoding.encodeLine(Response(sessions: [SessionSummary(session)], session: detail))
        check(encoded.last == 0x0A && !encoded.dropLast().contains(0x0A), "show reply is not one line")
        if let decoded = try? WireCoding.decode(Response.self, from: Array(encoded.dropLast())) {
            check(decoded.session == detail, "show reply does not decode to itself")
        } else {
            problems.append("show reply does not decode")
        }
        return problems
    }
}
