#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <vector>

namespace swarm {

// Turns the bytes a telnet (or nc) client sends into command lines. Pure: bytes in, events out,
// no socket; tested with byte strings and fuzzed on its own.
//
// Telnet negotiation (IAC WILL/WONT/DO/DONT x, IAC SB ... IAC SE, other IAC commands) is
// skipped. A line ends at LF, CR LF, CR NUL or a lone CR. Telnet's interrupt, break, abort and
// end-of-file commands and a raw Ctrl-C or Ctrl-D end the session politely; other control bytes,
// an escaped 255 byte, a line that is not UTF-8 and an over-long line are refused. After any
// event that ends the session the decoder ignores everything that follows.
class TelnetLineDecoder
{
public:
    struct Event
    {
        enum class Kind {
            Line, // `line` holds a complete line without its ending
            Close, // the client asked to end the session (Ctrl-C, Ctrl-D, telnet IP/EOF/...)
            Binary, // a control byte or an escaped 255: not a console line
            NotUtf8, // a line that is not UTF-8 text
            TooLong, // a line longer than the limit
        };
        Kind kind;
        QByteArray line;
    };

    explicit TelnetLineDecoder(int maxLineBytes = 4096);

    // Decodes `bytes` and returns the events they complete, in order.
    std::vector<Event> feed(QByteArrayView bytes);
    // Forgets a partly typed line (what `watch` does when a key stops it).
    void discardPartialLine() { m_line.clear(); }
    bool isFinished() const { return m_state == State::Finished; }
    int maxLineBytes() const { return m_maxLineBytes; }

private:
    enum class State {
        Text, // plain line bytes
        AfterCr, // a CR was seen: LF or NUL complete it, anything else starts a new line
        AfterIac, // IAC seen: the next byte is a telnet command
        Option, // WILL/WONT/DO/DONT seen: the next byte is the option, skipped
        Subnegotiation, // inside IAC SB ... : skipped up to IAC SE
        SubnegotiationIac, // IAC seen inside a subnegotiation
        Finished, // the session is ending: nothing more is decoded
    };

    void endLine(std::vector<Event>* events);
    void finish(Event::Kind kind, std::vector<Event>* events);
    void text(unsigned char c, std::vector<Event>* events);
    void command(unsigned char c, std::vector<Event>* events);

    State m_state = State::Text;
    QByteArray m_line;
    int m_maxLineBytes;
};

} // namespace swarm
