#include "editor/DataFilesView.h"

#include "scenario/DataSetLoader.h"

#include <QHeaderView>
#include <QLocale>

namespace swarm {

namespace {
enum Column { kName, kFile, kOrder, kRows, kColumns, kCount };
}

DataFilesView::DataFilesView(QWidget* parent)
    : QTreeWidget(parent)
{
    setObjectName(QStringLiteral("dataFiles"));
    setColumnCount(kCount);
    setHeaderLabels({tr("Data"), tr("File"), tr("Order"), tr("Rows"), tr("Columns")});
    setRootIsDecorated(false);
    setSelectionMode(QAbstractItemView::NoSelection);
    setToolTip(tr("The scenario's data files (the data: section, edited in the YAML tab). Use a "
                  "row in args as ${row.NAME.COLUMN}, in JavaScript as client.data.NAME"));
    header()->setStretchLastSection(true);
}

void DataFilesView::setScenario(const Scenario& scenario)
{
    clear();
    Diagnostics problems;
    const std::vector<DataSetPtr> sets = DataSetLoader::load(scenario, &problems);
    for (qsizetype i = 0; i < scenario.data.size(); ++i) {
        const DataSource& d = scenario.data[i];
        auto* item = new QTreeWidgetItem(this);
        item->setText(kName, d.name);
        item->setText(kFile,
            QStringLiteral("%1 (%2)").arg(d.file, QLatin1String(DataSource::formatName(d.format))));
        item->setToolTip(kFile, DataSetLoader::pathOf(scenario, d));
        item->setText(kOrder,
            QLatin1String(DataSource::orderName(d.order)) + (d.wrap ? tr(", wrap") : QString()));
        const DataSetPtr& set = sets[size_t(i)];
        if (set) {
            item->setText(kRows, QLocale().toString(set->rowCount()));
            item->setText(kColumns, set->columns().join(QStringLiteral(", ")));
            continue;
        }
        const QString path = DataSetLoader::pathOf(scenario, d);
        for (const Diagnostic& p : qAsConst(problems)) {
            if (p.file == path || p.key == d.name) {
                item->setText(kRows, tr("error"));
                item->setText(kColumns, p.toString());
                item->setToolTip(kColumns, p.toString());
                item->setForeground(kRows, Qt::red);
                item->setForeground(kColumns, Qt::red);
            }
        }
    }
    if (scenario.data.isEmpty()) {
        auto* item = new QTreeWidgetItem(this);
        item->setText(kName,
            tr("No data files: add a data: section in the YAML tab to give "
               "each connection its own user"));
        item->setFirstColumnSpanned(true);
        item->setForeground(kName, palette().color(QPalette::PlaceholderText));
    }
    for (int c = 0; c < kColumns; ++c)
        resizeColumnToContents(c);
}

} // namespace swarm
