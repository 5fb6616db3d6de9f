#include "Colors.h"

#include <QGuiApplication>
#include <QPalette>

namespace swarm::colors {

bool darkPalette()
{
    return QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
}

QColor readable(const QColor& forLightBackground)
{
    if (!darkPalette()) return forLightBackground;
    // HSL lightness of at least 65 % on a dark background, the hue and saturation kept.
    float h = 0, s = 0, l = 0, a = 0;
    forLightBackground.getHslF(&h, &s, &l, &a);
    return QColor::fromHslF(h, s, qMax(l, 0.65f), a);
}

QColor problem()
{
    return readable(QColor(0xb0, 0x00, 0x20));
}

QColor fine()
{
    return readable(QColor(0x1b, 0x5e, 0x20));
}

QString css(const QColor& color)
{
    return color.name(QColor::HexRgb);
}

} // namespace swarm::colors
