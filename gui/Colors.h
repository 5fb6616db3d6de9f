#pragma once

#include <QColor>
#include <QString>

namespace swarm::colors {

// The window's colours follow the palette: a colour chosen for a light background (dark red
// for a problem, the syntax colours, the chart lines) is brightened, hue kept, when the palette
// is dark, so it stays readable in a dark theme.
bool darkPalette();
QColor readable(const QColor& forLightBackground);
QColor problem(); // errors: red
QColor fine(); // success: green
QString css(const QColor& color); // for rich text and style sheets: "#rrggbb"

} // namespace swarm::colors
