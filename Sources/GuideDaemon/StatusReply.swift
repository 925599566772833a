import GuideCore
import GuideProtocol

/// The reply line to a `status` request, `{"id":…,"ok":true,"status":{…}}` and a newline,
/// written by hand: byte for byte what ``WireCoding/encodeLine(_:)`` makes of
/// `Response(id:status:)` (sorted keys, no escaped slashes, whole doubles without `.0`,
/// absent optionals of the nested objects left out and the status's own as `null`), at a
/// fraction of the cost of a JSONEncoder. StatusReplyTests compare the two over many
/// statuses.
public enum StatusReply {
    /// The whole line, newline included.
    public static func line(id: RequestID?, status: Status) -> [UInt8] {
        var writer = Writer()
        writer.bytes.reserveCapacity(512)
        guard writer.reply(id: id, status: status) else {
            // A non-finite number: JSONEncoder refuses it, and so does its fallback line.
            return WireCoding.encodeLine(Response(id: id, status: status))
        }
        writer.bytes.append(0x0A)
        return writer.bytes
    }

    /// `response` as a line: written here when it is a plain status reply (any id, ok, a
    /// status and nothing else), else by ``WireCoding/encodeLine(_:)``.
    public static func line(for response: Response) -> [UInt8] {
        if let status = response.status, response == Response(id: response.id, status: status) {
            return line(id: response.id, status: status)
        }
        return WireCoding.encodeLine(response)
    }

    struct Writer {
        var bytes: [UInt8] = []
        /// Cleared by a number JSON cannot carry (NaN, ±infinity).
        var finite = true

        mutating func reply(id: RequestID?, status: Status) -> Bool {
            raw("{")
            if let id {
                raw(#""id":"#)
                switch id {
                case .number(let n): raw(n.description)
                case .string(let s): string(s)
                }
                raw(",")
            }
            raw(#""ok":true,"status":"#)
            self.status(status)
            raw("}")
            return finite
        }

        mutating func status(_ s: Status) {
            raw(#"{"audio":"#)
            if let audio = s.audio {
                raw(#"{"device":"#)
                string(audio.device)
                if let error = audio.error {
                    raw(#","error":"#)
                    string(error)
                }
                raw(audio.ok ? #","ok":true}"# : #","ok":false}"#)
            } else {
                raw("null")
            }
            raw(#","elapsed":"#)
            number(s.elapsed)
            raw(#","next":"#)
            if let next = s.next {
                raw(#"{"duration":"#)
                number(next.duration)
                raw(#","name":"#)
                string(next.name)
                if let side = next.side {
                    raw(#","side":"#)
                    string(side.rawValue)
                }
                raw("}")
            } else {
                raw("null")
            }
            if let reason = s.pauseReason {
                raw(#","pauseReason":"#)
                string(reason)
            }
            raw(#","remaining":"#)
            number(s.remaining)
            if let reminders = s.reminders {
                raw(#","reminders":{"#)
                if let next = reminders.next {
                    raw(#""next":{"at":"#)
                    string(next.at)
                    raw(#","name":"#)
                    string(next.name)
                    raw(#","text":"#)
                    string(next.text)
                    raw("},")
                }
                raw(#""waiting":["#)
                for (i, name) in reminders.waiting.enumerated() {
                    if i > 0 { raw(",") }
                    string(name)
                }
                raw("]}")
            }
            raw(s.restored ? #","restored":true,"round":"# : #","restored":false,"round":"#)
            if let round = s.round {
                raw(#"{"count":"#)
                raw(round.count.description)
                raw(#","index":"#)
                raw(round.index.description)
                raw("}")
            } else {
                raw("null")
            }
            raw(#","session":"#)
            optionalString(s.session)
            raw(#","startedAt":"#)
            optionalString(s.startedAt)
            raw(#","state":"#)
            string(s.state.rawValue)
            raw(#","step":"#)
            if let step = s.step {
                raw(#"{"count":"#)
                raw(step.count.description)
                raw(#","duration":"#)
                number(step.duration)
                raw(#","index":"#)
                raw(step.index.description)
                if let instructions = step.instructions {
                    raw(#","instructions":"#)
                    string(instructions)
                }
                raw(#","name":"#)
                string(step.name)
                raw(#","remaining":"#)
                number(step.remaining)
                raw(step.rest ? #","rest":true"# : #","rest":false"#)
                if let side = step.side {
                    raw(#","side":"#)
                    string(side.rawValue)
                }
                raw("}")
            } else {
                raw("null")
            }
            raw(#","title":"#)
            optionalString(s.title)
            raw(#","total":"#)
            number(s.total)
            raw("}")
        }

        mutating func raw(_ text: StaticString) {
            text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        }

        mutating func raw(_ text: String) {
            bytes.append(contentsOf: text.utf8)
        }

        /// As JSONEncoder: the shortest round-tripping form, without a trailing `.0`.
        mutating func number(_ value: Double) {
            guard value.isFinite else {
                finite = false
                return
            }
            let text = value.description
            if text.utf8.count >= 2, text.hasSuffix(".0") {
                bytes.append(contentsOf: text.utf8.dropLast(2))
            } else {
                bytes.append(contentsOf: text.utf8)
            }
        }

        mutating func optionalString(_ value: String?) {
            if let value { string(value) } else { raw("null") }
        }

        /// As JSONEncoder escapes it (the same writer as request lines).
        mutating func string(_ value: String) {
            WireCoding.appendString(value, to: &bytes)
        }
    }
}
