"""Product cards: Wix vertical embeds, WooCommerce, Ghost, Squarespace, schema.org, and
a general rule (a small block with a name, a price and a buy button)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from selectolax.lexbor import LexborNode

from ..model import Product
from ._blocks import Special, escape
from ._document import Document, clean_text, node_text
from ._walk import css, css_first

__all__ = ["CARD_SELECTORS", "PRODUCT_TEXT", "find_products", "parse_price"]

_SYMBOLS = {
    "$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "￥": "JPY", "₹": "INR",
    "₩": "KRW", "₽": "RUB", "₺": "TRY", "₪": "ILS", "R$": "BRL", "CA$": "CAD", "C$": "CAD",
    "A$": "AUD", "AU$": "AUD", "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "CHF": "CHF",
    "Fr.": "CHF", "zł": "PLN", "kr": "SEK", "Kč": "CZK",
}  # fmt: skip
_DOLLAR_REGIONS = {"CA": "CAD", "AU": "AUD", "NZ": "NZD", "SG": "SGD", "HK": "HKD", "MX": "MXN"}
_KRONA = {"da": "DKK", "nb": "NOK", "no": "NOK", "nn": "NOK", "is": "ISK"}
_CODES = "USD|EUR|GBP|JPY|CAD|AUD|CHF|INR|NZD|SEK|NOK|DKK|PLN|BRL|MXN|SGD|HKD|CNY|ZAR"
_SYM = r"US\$|CA\$|AU\$|NZ\$|HK\$|R\$|[CAS]\$|\$|€|£|¥|￥|₹|₩|₽|₺|₪|CHF|Fr\.|zł|kr|Kč"
_AMOUNT = r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_PRICE = re.compile(
    rf"(?P<s1>{_SYM}|\b(?:{_CODES})\b)\s?(?P<a1>{_AMOUNT})"
    rf"|(?<![\d.,])(?P<a2>{_AMOUNT})\s?(?P<s2>{_SYM}|\b(?:{_CODES})\b)"
)
_FREE = re.compile(r"^\s*(?:free|kostenlos|gratis|gratuit|gratuito)\s*$", re.I)
_BUY = re.compile(
    r"^\s*(?:buy(?: it)?(?: now)?|shop now|order(?: now)?|add to (?:cart|basket|bag)|"
    r"buy product|get it now|purchase|jetzt kaufen|kaufen|in den warenkorb|"
    r"acheter(?: maintenant)?|ajouter au panier|comprar(?: ahora)?|añadir al carrito|"
    r"agregar al carrito)\s*!?\s*$",
    re.I,
)


def _currency(symbol: str, language: str | None) -> str | None:
    code = symbol.upper() if re.fullmatch(_CODES, symbol.upper()) else _SYMBOLS.get(symbol)
    lang = (language or "").replace("_", "-")
    region = lang.split("-")[1].upper() if "-" in lang else ""
    if symbol == "$":
        return _DOLLAR_REGIONS.get(region, "USD")
    if symbol in ("¥", "￥") and lang.lower().startswith("zh"):
        return "CNY"
    if symbol == "kr":
        return _KRONA.get(lang.split("-")[0].lower(), "SEK")
    return code


def _amount(raw: str) -> str | None:
    raw = raw.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if "," in raw and "." in raw:
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
    elif "," in raw:
        decimal = "," if len(raw) - raw.rfind(",") - 1 in (1, 2) else ""
    elif "." in raw:
        decimal = "." if len(raw) - raw.rfind(".") - 1 in (1, 2) else ""
    else:
        decimal = ""
    thousands = {",", "."} - {decimal}
    for sep in thousands:
        raw = raw.replace(sep, "")
    if decimal:
        raw = raw.replace(decimal, ".")
    try:
        return str(Decimal(raw).quantize(Decimal("0.01")))
    except (InvalidOperation, ValueError):
        return None


def parse_price(text: str, language: str | None = None) -> tuple[str | None, str | None]:
    """``("7.50", "USD")`` from text like "$7.50"; "Free" gives ``("0.00", None)``."""
    if _FREE.match(text):
        return "0.00", None
    m = _PRICE.search(text)
    if m is None:
        return None, None
    symbol = m.group("s1") or m.group("s2") or ""
    amount = _amount(m.group("a1") or m.group("a2") or "")
    return amount, _currency(symbol, language)


def _background_image(node: LexborNode) -> str | None:
    for inner in [node, *css(node, "[style]")][:20]:
        style = inner.attributes.get("style") or ""
        m = re.search(r"background(?:-image)?\s*:[^;]*url\((['\"]?)([^'\")]+)\1\)", style)
        if m:
            return m.group(2)
    return None


def _first_text(node: LexborNode, selectors: str) -> str:
    found = css_first(node, selectors)
    return node_text(found) if found is not None else ""


def _image(node: LexborNode, doc: Document) -> str | None:
    img = css_first(node, "img")
    src = None
    if img is not None:
        attrs = img.attributes
        src = attrs.get("data-src") or attrs.get("src")
    return doc.absolute(src or _background_image(node))


def _product_from_block(
    node: LexborNode, doc: Document, language: str | None, name_sel: str, price_sel: str,
    cta_sel: str, url_sel: str, description_sel: str,
) -> Product | None:  # fmt: skip
    name = _first_text(node, name_sel)
    if not name:
        return None
    price_text = _first_text(node, price_sel) if price_sel else ""
    sale = ", ".join(f"{s.strip()} ins" for s in price_sel.split(",")) if price_sel else ""
    if sale and css_first(node, sale) is not None:
        price_text = _first_text(node, sale)
    price, currency = parse_price(price_text or node_text(node), language)
    cta_node = css_first(node, cta_sel) if cta_sel else None
    cta = node_text(cta_node) or None
    link = node if node.tag == "a" else css_first(node, url_sel)
    url = doc.absolute(link.attributes.get("href")) if link is not None else None
    if url is None and cta_node is not None:
        url = doc.absolute(cta_node.attributes.get("href"))
    description = _first_text(node, description_sel) if description_sel else ""
    return Product(name, price, currency, url, cta, _image(node, doc), description or None)


# (card selector, name, price, cta, url, description)
_CARDS = (
    ('[data-hook="vertical-embed"], .vertical-embed-card',
     '.vertical-embed-title, [data-hook="vertical-embed-title"], h3, h4',
     '.vertical-embed-subtitle, [data-hook="vertical-embed-subtitle"]',
     '.vertical-embed-buttonText, .vertical-embed-button, [data-hook="vertical-embed-button"]',
     "a[href]", ""),
    ("li.wc-block-grid__product, ul.products li.product, .wc-block-components-product, "
     "li.wp-block-post.product",
     ".wc-block-grid__product-title, .woocommerce-loop-product__title, "
     ".wc-block-components-product-name, .wp-block-post-title",
     ".wc-block-grid__product-price, span.price, .wc-block-components-product-price",
     ".add_to_cart_button, .wp-block-button__link, .wc-block-components-product-button a",
     "a.wc-block-grid__product-link, a.woocommerce-LoopProduct-link, a[href]", ""),
    (".kg-product-card", ".kg-product-card-title", ".kg-product-card-description",
     ".kg-product-card-button", "a.kg-product-card-button", ".kg-product-card-description"),
    (".sqs-block-product", ".product-title", ".product-price",
     ".sqs-add-to-cart-button, .sqs-editable-button", "a[href]", ".product-excerpt"),
)  # fmt: skip
_CARD_SELECTORS = ", ".join(c[0] for c in _CARDS)
CARD_SELECTORS = _CARD_SELECTORS + ', [itemtype*="schema.org/Product"]'
# A block whose text holds a price and then a buy-button label.
PRODUCT_TEXT = re.compile(
    rf"(?:{_PRICE.pattern}).{{0,80}}?\b(?:buy|shop now|order|add to (?:cart|basket|bag)|kaufen|"
    r"warenkorb|acheter|panier|comprar|carrito)",
    re.I | re.S,
)


_SHOWN_SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


def _special(product: Product) -> Special:
    name = escape(product.name)
    md = f"[{name}]({product.url})" if product.url else f"**{name}**"
    price = ""
    if product.price is not None:
        symbol = _SHOWN_SYMBOL.get(product.currency or "")
        if symbol:
            price = f"{symbol}{product.price}"
        else:
            price = f"{product.price} {product.currency}" if product.currency else product.price
    if price:
        md += f" — {price}"
    text = f"{product.name} — {price}" if price else product.name
    return Special(md, text)


def _general(
    root: LexborNode,
    doc: Document,
    language: str | None,
    claimed: set[int],
    texts: dict[int, str],
) -> list[tuple[LexborNode, Product]]:
    found: list[tuple[LexborNode, Product]] = []
    for button in css(root, "a, button"):
        label = _text_of(button, texts)
        if not label or len(label) > 40 or not _BUY.match(label):
            continue
        block = button.parent
        for _ in range(5):
            if block is None or block.mem_id in claimed:
                break
            text = node_text(block)
            if len(text) > 400:
                break
            price, currency = parse_price(text, language)
            if price is not None:
                name = _first_text(block, "h1, h2, h3, h4, h5, h6, strong, b, [class*=title]")
                if not name:
                    lines = [clean_text(t) for t in block.text(separator="\n").split("\n")]
                    lines = [t for t in lines if t and t != label and not _PRICE.search(t)]
                    name = lines[0] if lines else ""
                if not name or name == label:
                    break
                anchor = block if block.tag == "a" else css_first(block, "a[href]")
                url = doc.absolute(anchor.attributes.get("href")) if anchor is not None else None
                product = Product(name, price, currency, url, label, _image(block, doc))
                found.append((block, product))
                claimed.add(block.mem_id)
                break
            block = block.parent
    return found


# A buy label at the end of a card's text ("... $7.50 Buy Now").
_BUY_TAIL = re.compile(
    r"(?:^|\s)(?:buy(?: it)?(?: now)?|shop now|order now|add to (?:cart|basket|bag)|"
    r"jetzt kaufen|in den warenkorb|acheter(?: maintenant)?|ajouter au panier|"
    r"comprar(?: ahora)?|añadir al carrito)\s*!?\s*$",
    re.I,
)


def _text_of(node: LexborNode, texts: dict[int, str]) -> str:
    """``node_text(node)``, remembered by node id (both passes below read every link)."""
    mem = node.mem_id
    text = texts.get(mem)
    if text is None:
        text = texts[mem] = node_text(node)
    return text


def _anchor_cards(
    root: LexborNode,
    doc: Document,
    language: str | None,
    claimed: set[int],
    texts: dict[int, str],
) -> list[tuple[LexborNode, Product]]:
    """Whole-card links (a Wix store card, a shop teaser): one ``<a>`` holding a name, a
    price and a buy label, with no paragraph around it."""
    found: list[tuple[LexborNode, Product]] = []
    for anchor in css(root, "a[href]"):
        if anchor.mem_id in claimed:
            continue
        text = _text_of(anchor, texts)
        if len(text) < 6 or len(text) > 300:
            continue
        price, currency = parse_price(text, language)
        buy = _BUY_TAIL.search(text)
        if price is None or buy is None:
            continue
        parent = anchor.parent
        if parent is not None and parent.tag == "p" and len(node_text(parent)) > len(text) + 20:
            continue  # a link inside a sentence, not a card
        lines = [clean_text(t) for t in anchor.text(separator="\n").split("\n")]
        cta = buy.group(0).strip()
        names = [t for t in lines if t and not _PRICE.search(t) and not _BUY.match(t)]
        if not names:
            continue
        url = doc.absolute(anchor.attributes.get("href"))
        found.append((anchor, Product(names[0], price, currency, url, cta, _image(anchor, doc))))
        claimed.add(anchor.mem_id)
        claimed.update(n.mem_id for n in css(anchor, "*"))
    return found


def _jsonld_products(doc: Document, language: str | None) -> list[Product]:
    out: list[Product] = []
    for obj in doc.jsonld:
        raw_type = obj.get("@type")
        types = raw_type if isinstance(raw_type, list) else [raw_type]
        if "Product" not in types or not isinstance(obj.get("name"), str):
            continue
        offers: Any = obj.get("offers")
        if isinstance(offers, list):
            offers = offers[0] if offers else None
        price = currency = url = None
        if isinstance(offers, dict):
            raw = offers.get("price", offers.get("lowPrice"))
            if raw is not None:
                price = _amount(str(raw))
            code = offers.get("priceCurrency")
            currency = code if isinstance(code, str) else None
            url = offers.get("url") if isinstance(offers.get("url"), str) else None
        url = url or (obj["url"] if isinstance(obj.get("url"), str) else None)
        image = obj.get("image")
        image = image[0] if isinstance(image, list) and image else image
        out.append(
            Product(
                clean_text(obj["name"]),
                price,
                currency,
                doc.absolute(url),
                None,
                doc.absolute(image) if isinstance(image, str) else None,
            )
        )
    return out


def _microdata(
    root: LexborNode, doc: Document, claimed: set[int]
) -> list[tuple[LexborNode, Product]]:
    found = []
    for node in css(root, '[itemtype*="schema.org/Product"]'):
        if node.mem_id in claimed:
            continue
        name = _first_text(node, '[itemprop="name"]')
        if not name:
            continue
        price_node = css_first(node, '[itemprop="price"]')
        raw = price_node.attributes.get("content") if price_node is not None else None
        price = _amount(raw or node_text(price_node)) if price_node is not None else None
        cur_node = css_first(node, '[itemprop="priceCurrency"]')
        currency = None
        if cur_node is not None:
            currency = cur_node.attributes.get("content") or node_text(cur_node) or None
        anchor = css_first(node, "a[href]")
        url = doc.absolute(anchor.attributes.get("href")) if anchor is not None else None
        found.append((node, Product(name, price, currency, url, None, _image(node, doc))))
        claimed.add(node.mem_id)
    return found


def find_products(
    root: LexborNode | None, doc: Document, language: str | None
) -> tuple[list[Product], dict[int, Special]]:
    """Products in the body ``root`` (and the page's JSON-LD), with their replacement blocks."""
    located: list[tuple[LexborNode, Product]] = []
    claimed: set[int] = set()
    if root is not None:
        if css_first(root, _CARD_SELECTORS) is not None:
            for card_sel, name_sel, price_sel, cta_sel, url_sel, desc_sel in _CARDS:
                for node in css(root, card_sel):
                    if node.mem_id in claimed:
                        continue
                    product = _product_from_block(
                        node, doc, language, name_sel, price_sel, cta_sel, url_sel, desc_sel
                    )
                    if product is not None:
                        located.append((node, product))
                        claimed.add(node.mem_id)
                        claimed.update(n.mem_id for n in css(node, "*"))
        located.extend(_microdata(root, doc, claimed))
        texts: dict[int, str] = {}
        located.extend(_anchor_cards(root, doc, language, claimed, texts))
        located.extend(_general(root, doc, language, claimed, texts))
    products = [p for _, p in located]
    specials = {node.mem_id: _special(p) for node, p in located}
    names = {p.name.casefold() for p in products}
    for product in _jsonld_products(doc, language):
        if product.name.casefold() not in names:
            products.append(product)
            names.add(product.name.casefold())
    return products, specials
