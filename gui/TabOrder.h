#pragma once

#include <QList>

class QWidget;

namespace swarm {

// Tab walks `groups` in the order given (the order a user reads them: left to right, top to
// bottom), each group's own controls in the order they already have. A group is a control or a
// widget holding several (a form, a row of fields); hidden and disabled controls keep their
// place and are skipped by Tab as usual. Qt's default order is the order the widgets were
// created in, which is not the order they are laid out in.
void setReadingOrder(const QList<QWidget*>& groups);

} // namespace swarm
