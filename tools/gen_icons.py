"""Draw the three addons' Apps icons (static/description/icon.png, 128x128,
Odoo 11 flat style with a long shadow) with Pillow:

    .venv/bin/python tools/gen_icons.py
"""
import math
import os
import sys

from PIL import Image, ImageDraw

S = 512  # drawn at 4x, scaled down for antialiasing
WHITE = (255, 255, 255, 255)


def shadow(glyph, color):
    """Odoo 11 long shadow: the glyph's silhouette dragged to the bottom right."""
    alpha = glyph.split()[3]
    sh = Image.new('L', (S, S), 0)
    for d in range(0, S, 4):
        sh.paste(255, (d, d), alpha)
    layer = Image.new('RGBA', (S, S), color)
    layer.putalpha(sh.point(lambda v: 70 if v else 0))
    return layer


def finish(bg, glyph, path):
    img = Image.new('RGBA', (S, S), bg)
    img = Image.alpha_composite(img, shadow(glyph, (0, 0, 0, 255)))
    img = Image.alpha_composite(img, glyph)
    img = img.resize((128, 128), Image.LANCZOS).convert('RGB')
    img.save(path, optimize=True)


def pool(path):
    g = Image.new('RGBA', (S, S), (0, 0, 0, 0))
    d = ImageDraw.Draw(g)
    # three waves (the sea, 公海)
    for row, y0 in enumerate((300, 360, 420)):
        pts = []
        for x in range(96, 417, 4):
            pts.append((x, y0 + 16 * math.sin((x - 96) / 320.0 * 4 * math.pi)))
        d.line(pts, fill=WHITE, width=22, joint='curve')
        for end in (pts[0], pts[-1]):
            d.ellipse((end[0] - 11, end[1] - 11, end[0] + 11, end[1] + 11), fill=WHITE)
    # a lead (a card) drawn from the sea: an up arrow into a hand-held card
    d.rounded_rectangle((176, 84, 336, 196), radius=18, fill=WHITE)
    d.rectangle((200, 112, 312, 124), fill=(30, 136, 168, 255))
    d.rectangle((200, 140, 280, 152), fill=(30, 136, 168, 255))
    d.rectangle((200, 168, 296, 176), fill=(30, 136, 168, 255))
    d.polygon([(256, 208), (216, 256), (240, 256), (240, 284), (272, 284),
               (272, 256), (296, 256)], fill=WHITE)
    finish((30, 136, 168, 255), g, path)


def scoring(path):
    g = Image.new('RGBA', (S, S), (0, 0, 0, 0))
    d = ImageDraw.Draw(g)
    # rising bars
    for i, h in enumerate((110, 170, 240)):
        x = 110 + i * 80
        d.rounded_rectangle((x, 400 - h, x + 56, 400), radius=8, fill=WHITE)
    d.rounded_rectangle((96, 412, 416, 428), radius=8, fill=WHITE)
    # a star (grade A) top right
    cx, cy, r1, r2 = 372, 150, 62, 26
    pts = []
    for k in range(10):
        a = -math.pi / 2 + k * math.pi / 5
        r = r1 if k % 2 == 0 else r2
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    d.polygon(pts, fill=WHITE)
    finish((230, 126, 34, 255), g, path)


def ticket(path):
    g = Image.new('RGBA', (S, S), (0, 0, 0, 0))
    d = ImageDraw.Draw(g)
    bg = (91, 79, 160, 255)
    # a ticket with notched sides
    d.rounded_rectangle((88, 150, 424, 362), radius=22, fill=WHITE)
    for cx in (88, 424):
        d.ellipse((cx - 34, 222, cx + 34, 290), fill=(0, 0, 0, 0))
    # perforation
    for y in range(168, 350, 26):
        d.rectangle((326, y, 334, y + 12), fill=(0, 0, 0, 0))
    # a check mark (solved)
    d.line([(150, 256), (196, 302), (282, 206)], fill=bg, width=30, joint='curve')
    for p in ((150, 256), (282, 206)):
        d.ellipse((p[0] - 15, p[1] - 15, p[0] + 15, p[1] + 15), fill=bg)
    finish(bg, g, path)


if __name__ == '__main__':
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))
    pool(root + '/crm_public_pool/static/description/icon.png')
    scoring(root + '/crm_lead_scoring/static/description/icon.png')
    ticket(root + '/crm_service_ticket/static/description/icon.png')
