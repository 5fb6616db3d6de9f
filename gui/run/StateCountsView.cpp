#include "run/StateCountsView.h"

#include "Colors.h"

#include <QHash>
#include <QHeaderView>
#include <QLocale>

#include <numeric>

namespace swarm {

namespace {

// A state's name on two lines where it is long: "protocol\nerror", "connect-\ning".
QString wrapped(const QString& name)
{
    static const QHash<QString, QString> hyphenated = {
        {QStringLiteral("connecting"), QStringLiteral("connect-\ning")},
        {QStringLiteral("handshaking"), QStringLiteral("hand-\nshaking")},
        {QStringLiteral("timedout"), QStringLiteral("timed\nout")},
        {QStringLiteral("standby"), QStringLiteral("stand-\nby")},
    };
    return hyphenated.value(name, QString(name).replace(QLatin1Char('_'), QLatin1Char('\n')));
}

} // namespace

StateCountsView::StateCountsView(QWidget* parent)
    : QTableWidget(2, kStateCount, parent)
{
    QStringList names;
    for (int i = 0; i < kStateCount; ++i)
        names << wrapped(QString::fromLatin1(stateName(i))); // fitHeaderLabels() picks later
    setHorizontalHeaderLabels(names);
    setVerticalHeaderLabels({tr("Now"), tr("Total")});
    verticalHeaderItem(NowRow)->setToolTip(tr("Connections in each state now (Realtime)"));
    verticalHeaderItem(TotalRow)->setToolTip(
        tr("Transitions into each state since the run started (Aggregates)"));
    // Each column as wide as its label needs, the rest shared out (fitHeaderLabels()).
    horizontalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setMinimumSectionSize(30);
    // Eleven states side by side: a notch smaller, so "connecting" fits a narrow column.
    QFont small = horizontalHeader()->font();
    small.setPointSizeF(small.pointSizeF() - 1);
    horizontalHeader()->setFont(small);
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionMode(QAbstractItemView::NoSelection);
    setFocusPolicy(Qt::NoFocus);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    for (int i = 0; i < kStateCount; ++i) {
        const QString name = QString::fromLatin1(stateName(i));
        horizontalHeaderItem(i)->setToolTip(isErrorState(ConnState(i))
                ? tr("%1: an error state: the connection waits here, then reconnects").arg(name)
                : name);
    }
    clearCounts();
}

// The header shows each state's name whole where the table is wide enough: each column gets
// what its label needs and the rest is shared out equally, so "reset" does not take the room
// "protocol error" needs. Narrower, long names go on two lines ("connect-\ning"), the widest
// first; narrower still, every column gets an equal share and each label line is elided in the
// middle. The tooltip always has the whole name; no label widens the window.
void StateCountsView::fitHeaderLabels()
{
    if (m_fitting) return; // a label set below can resize the header again
    m_fitting = true;
    QHeaderView* header = horizontalHeader();
    const int room = width() - 2 * frameWidth() - verticalHeader()->sizeHint().width();
    const auto need = [this, header](int i, const QString& text) {
        QTableWidgetItem* item = this->horizontalHeaderItem(i);
        if (item->text() != text) item->setText(text);
        return header->sectionSizeHint(i);
    };
    QList<QString> labels;
    QList<int> needs;
    for (int i = 0; i < kStateCount; ++i) {
        labels << QString::fromLatin1(stateName(i)).replace(QLatin1Char('_'), QLatin1Char('\n'));
        needs << need(i, labels[i]);
    }
    const auto total = [&needs] { return std::accumulate(needs.cbegin(), needs.cend(), 0); };
    while (total() > room) {
        // The widest label that two lines make narrower.
        int widest = -1;
        for (int i = 0; i < kStateCount; ++i) {
            const QString two = wrapped(QString::fromLatin1(stateName(i)));
            if (two != labels[i] && (widest < 0 || needs[i] > needs[widest])) widest = i;
        }
        if (widest < 0) break;
        labels[widest] = wrapped(QString::fromLatin1(stateName(widest)));
        needs[widest] = need(widest, labels[widest]);
    }
    if (total() <= room) {
        const int extra = (room - total()) / kStateCount;
        for (int i = 0; i < kStateCount; ++i) {
            need(i, labels[i]);
            header->resizeSection(i, needs[i] + extra);
        }
    } else {
        elideLabels(qMax(header->minimumSectionSize(), room / kStateCount));
    }
    m_fitting = false;
}

// Every column `width` wide, each line of its two-line label elided in the middle to fit.
void StateCountsView::elideLabels(int width)
{
    QHeaderView* header = horizontalHeader();
    const QFontMetrics metrics(header->font());
    for (int i = 0; i < kStateCount; ++i) {
        header->resizeSection(i, width);
        QTableWidgetItem* item = horizontalHeaderItem(i);
        QStringList lines = wrapped(QString::fromLatin1(stateName(i))).split(QLatin1Char('\n'));
        item->setText(lines.join(QLatin1Char('\n')));
        int widest = 0;
        for (const QString& line : lines)
            widest = qMax(widest, metrics.horizontalAdvance(line));
        const int textRoom = qMax(1, width - (header->sectionSizeHint(i) - widest));
        for (QString& line : lines)
            line = metrics.elidedText(line, Qt::ElideMiddle, textRoom);
        item->setText(lines.join(QLatin1Char('\n')));
    }
}

void StateCountsView::resizeEvent(QResizeEvent* event)
{
    QTableWidget::resizeEvent(event);
    fitHeaderLabels();
}

QSize StateCountsView::sizeHint() const
{
    const int h = horizontalHeader()->sizeHint().height()
        + 2 * verticalHeader()->defaultSectionSize() + 2 * frameWidth() + 2;
    return QSize(600, h);
}

void StateCountsView::setCell(int row, int column, qint64 value, bool error)
{
    QTableWidgetItem* it = item(row, column);
    if (!it) {
        it = new QTableWidgetItem;
        it->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        setItem(row, column, it);
    }
    it->setText(QLocale().toString(value));
    it->setData(Qt::UserRole, value);
    if (value == 0)
        it->setForeground(palette().brush(QPalette::PlaceholderText));
    else if (error)
        it->setForeground(colors::problem());
    else
        it->setForeground(palette().brush(QPalette::Text));
}

void StateCountsView::setSnapshot(const StatsSnapshot& s)
{
    for (int i = 0; i < kStateCount; ++i) {
        const bool error = isErrorState(ConnState(i));
        setCell(NowRow, i, s.current[size_t(i)], error);
        setCell(TotalRow, i, s.transitions[size_t(i)], error);
    }
}

void StateCountsView::clearCounts()
{
    setSnapshot(StatsSnapshot());
}

qint64 StateCountsView::count(RowKind row, ConnState state) const
{
    const QTableWidgetItem* it = item(row, int(state));
    return it ? it->data(Qt::UserRole).toLongLong() : 0;
}

} // namespace swarm
