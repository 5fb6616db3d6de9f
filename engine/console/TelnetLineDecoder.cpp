#include "console/TelnetLineDecoder.h"

#include <QStringDecoder>

namespace swarm {

namespace {
constexpr unsigned char kIac = 255;
constexpr unsigned char kSe = 240;
constexpr unsigned char kSb = 250;
constexpr unsigned char kWill = 251;
constexpr unsigned char kDont = 254;
constexpr unsigned char kInterrupt = 244; // telnet "IP", sent for Ctrl-C
constexpr unsigned char kBreak = 243;
constexpr unsigned char kAbort = 238;
constexpr unsigned char kEof = 236;
} // namespace

TelnetLineDecoder::TelnetLineDecoder(int maxLineBytes)
    : m_maxLineBytes(maxLineBytes)
{ }

std::vector<TelnetLineDecoder::Event> TelnetLineDecoder::feed(QByteArrayView bytes)
{
    std::vector<Event> events;
    for (const char ch : bytes) {
        const unsigned char c = uchar(ch);
        switch (m_state) {
        case State::Finished:
            return events;
        case State::Option:
            m_state = State::Text;
            break;
        case State::Subnegotiation:
            if (c == kIac) m_state = State::SubnegotiationIac;
            break;
        case State::SubnegotiationIac:
            m_state = c == kSe ? State::Text : State::Subnegotiation;
            break;
        case State::AfterIac:
            command(c, &events);
            break;
        case State::AfterCr:
            // CR LF and CR NUL end a line; so does a lone CR, and the byte after it is text.
            m_state = State::Text;
            endLine(&events);
            if (c != '\n' && c != 0 && m_state == State::Text) text(c, &events);
            break;
        case State::Text:
            text(c, &events);
            break;
        }
    }
    return events;
}

void TelnetLineDecoder::command(unsigned char c, std::vector<Event>* events)
{
    m_state = State::Text;
    if (c >= kWill && c <= kDont)
        m_state = State::Option;
    else if (c == kSb)
        m_state = State::Subnegotiation;
    else if (c == kInterrupt || c == kBreak || c == kAbort || c == kEof)
        finish(Event::Kind::Close, events);
    else if (c == kIac) // an escaped 255 byte: data, and binary data at that
        finish(Event::Kind::Binary, events);
    // Other commands (NOP, AYT, GA, ...) carry nothing for a line.
}

void TelnetLineDecoder::text(unsigned char c, std::vector<Event>* events)
{
    if (c == kIac) {
        m_state = State::AfterIac;
        return;
    }
    if (c == 0x03 || c == 0x04) { // Ctrl-C, Ctrl-D typed in raw mode
        finish(Event::Kind::Close, events);
        return;
    }
    if (c == '\n') {
        endLine(events);
        return;
    }
    if (c == '\r') {
        m_state = State::AfterCr;
        return;
    }
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
        finish(Event::Kind::Binary, events);
        return;
    }
    m_line.append(char(c));
    if (m_line.size() > m_maxLineBytes) finish(Event::Kind::TooLong, events);
}

void TelnetLineDecoder::endLine(std::vector<Event>* events)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder.decode(m_line);
    Q_UNUSED(text);
    if (decoder.hasError()) {
        finish(Event::Kind::NotUtf8, events);
        return;
    }
    events->push_back({Event::Kind::Line, m_line});
    m_line.clear();
}

void TelnetLineDecoder::finish(Event::Kind kind, std::vector<Event>* events)
{
    m_line.clear();
    m_state = State::Finished;
    events->push_back({kind, QByteArray()});
}

} // namespace swarm
