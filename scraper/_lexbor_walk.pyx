# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Tree walks over selectolax's lexbor DOM in C, for the extraction's hottest questions.

Each function gives exactly what the selectolax call named in its docstring gives, without
the selector engine (which tests every node against every selector of a list) or a Python
string per text. Built by setup.py when Cython and lexbor's headers (from selectolax's
source distribution, ``make lexbor-headers``) are at hand; :mod:`scraper.extract._walk`
uses it only with the selectolax version it was built against (``BUILT_FOR``), since it
reads lexbor's structs directly.
"""

from cpython.unicode cimport Py_UNICODE_ISSPACE

from libc.stdlib cimport free, realloc
from libc.string cimport memchr, memcmp

cdef extern from "<string.h>":
    void* memmem(const void* haystack, size_t size, const void* needle, size_t length) nogil

from selectolax.lexbor cimport (
    LexborNode,
    lexbor_str_t,
    lxb_char_t,
    lxb_dom_character_data_t,
    lxb_dom_node_t,
)

cdef extern from *:
    const char* BB_SELECTOLAX_VERSION  # (defined by setup.py: the version built against)

cdef extern from "lexbor/core/hash.h":
    ctypedef struct _HashEntry "lexbor_hash_entry_t":
        size_t length
    const lxb_char_t* lexbor_hash_entry_str(const _HashEntry* entry)  # (inline)

cdef extern from "lexbor/dom/interfaces/attr.h":
    ctypedef struct _Attr "lxb_dom_attr_t":
        lxb_dom_node_t node
        lexbor_str_t* value
        _Attr* next
    ctypedef struct _AttrData "lxb_dom_attr_data_t":
        _HashEntry entry
    enum:
        _ATTR_STYLE "LXB_DOM_ATTR_STYLE"
        _ATTR_TYPE "LXB_DOM_ATTR_TYPE"
        _ATTR_SRC "LXB_DOM_ATTR_SRC"
        _ATTR_REL "LXB_DOM_ATTR_REL"
        _ATTR_HREF "LXB_DOM_ATTR_HREF"
        _ATTR_LAST "LXB_DOM_ATTR__LAST_ENTRY"

cdef extern from "lexbor/dom/interfaces/attr_res.h":
    const _AttrData lxb_dom_attr_res_data_default[]  # (the fixed attributes' names)

cdef extern from "lexbor/ns/const.h":
    enum:
        _NS_HTML "LXB_NS_HTML"

cdef extern from "lexbor/tag/const.h":
    enum:
        _TAG_META "LXB_TAG_META"
        _TAG_TITLE "LXB_TAG_TITLE"
        _TAG_SCRIPT "LXB_TAG_SCRIPT"
        _TAG_LINK "LXB_TAG_LINK"
        _TAG_BASE "LXB_TAG_BASE"

cdef extern from "lexbor/dom/interfaces/element.h":
    ctypedef struct _Element "lxb_dom_element_t":
        _Attr* first_attr
        _Attr* attr_id
        _Attr* attr_class

cdef extern from "lexbor/dom/interfaces/document.h":
    ctypedef struct _Document "lxb_dom_document_t":
        int compat_mode
        int type
    enum:
        _QUIRKS "LXB_DOM_DOCUMENT_CMODE_QUIRKS"
        _DTYPE_HTML "LXB_DOM_DOCUMENT_DTYPE_HTML"

BUILT_FOR = BB_SELECTOLAX_VERSION.decode("ascii")

cdef enum:
    _ELEMENT = 1  # LXB_DOM_NODE_TYPE_ELEMENT
    _TEXT = 3  # LXB_DOM_NODE_TYPE_TEXT
    _MAX_TAGS = 32


cdef inline lxb_dom_node_t* _following(lxb_dom_node_t* node, lxb_dom_node_t* top) noexcept:
    """The node after ``node`` in document order within ``top``'s subtree, or NULL."""
    if node.first_child != NULL:
        return node.first_child
    while node != top and node.next == NULL:
        node = node.parent
    if node == top:
        return NULL
    return node.next


def select_tags(LexborNode root, tuple tag_ids):
    """``root.css("a, b, ...")`` for a list of HTML tag names, given as lexbor tag ids:
    the elements of those tags in ``root``'s subtree, ``root`` included, in document
    order."""
    cdef size_t ids[_MAX_TAGS]
    cdef Py_ssize_t count = len(tag_ids), i
    if count > _MAX_TAGS:
        raise ValueError(f"at most {_MAX_TAGS} tags")
    for i in range(count):
        ids[i] = tag_ids[i]
    cdef lxb_dom_node_t* top = root.node
    cdef lxb_dom_node_t* node = top
    found = []
    while node != NULL:
        if node.type == _ELEMENT:
            for i in range(count):
                if node.local_name == ids[i]:
                    found.append(LexborNode.new(node, root.parser))
                    break
        node = _following(node, top)
    return found


cdef inline Py_ssize_t _lower_into(const lexbor_str_t* text, unsigned char** buffer,
                                    Py_ssize_t* room) except -1:
    """``text`` into ``buffer`` with its ASCII letters lowercased; its length."""
    cdef Py_ssize_t at, size = text.length
    cdef unsigned char c
    cdef unsigned char* grown
    if size > room[0]:
        room[0] = size * 2 + 64
        grown = <unsigned char*> realloc(buffer[0], room[0])
        if grown == NULL:
            raise MemoryError()
        buffer[0] = grown
    for at in range(size):
        c = text.data[at]
        buffer[0][at] = c + 32 if 65 <= c <= 90 else c
    return size


def select_containing(LexborNode root, tuple tag_ids, tuple words):
    """``root.css(", ".join(f':is(T1, T2, ...):lexbor-contains("{w}" i)' for w in words))``
    for tags given as lexbor tag ids and lowercase ASCII ``words``: the elements of those
    tags in ``root``'s subtree, ``root`` included, in document order, each listed once per
    word that one of its text children holds, ASCII case aside."""
    cdef size_t ids[_MAX_TAGS]
    cdef bint held[_MAX_TAGS]
    cdef Py_ssize_t count = len(tag_ids), n = len(words), i, k, used, room = 0, hits
    cdef lxb_dom_node_t* top = root.node
    cdef lxb_dom_node_t* node = top
    cdef lxb_dom_node_t* child
    cdef unsigned char* buffer = NULL
    cdef bytes word
    if count > _MAX_TAGS or n > _MAX_TAGS:
        raise ValueError(f"at most {_MAX_TAGS} tags and words")
    for i in range(count):
        ids[i] = tag_ids[i]
    found = []
    try:
        while node != NULL:
            if node.type == _ELEMENT:
                for i in range(count):
                    if node.local_name == ids[i]:
                        for k in range(n):
                            held[k] = False
                        child = node.first_child
                        while child != NULL:
                            if child.type == _TEXT:
                                used = _lower_into(
                                    &(<lxb_dom_character_data_t*> child).data, &buffer, &room)
                                for k in range(n):
                                    word = words[k]
                                    if not held[k] and used and memmem(
                                            buffer, used, <const char*> word,
                                            len(word)) != NULL:
                                        held[k] = True
                            child = child.next
                        hits = 0
                        for k in range(n):
                            hits += held[k]
                        if hits:
                            element_node = LexborNode.new(node, root.parser)
                            for k in range(hits):
                                found.append(element_node)
                        break
            node = _following(node, top)
    finally:
        free(buffer)
    return found


cdef inline bint _holds(const lexbor_str_t* value, const unsigned char* word,
                        Py_ssize_t size) noexcept:
    """Whether ``value`` contains ``word`` (lowercase ASCII), ASCII letters compared
    without case (as CSS's ``i`` flag does)."""
    cdef Py_ssize_t start, k
    cdef unsigned char c
    if value == NULL or value.data == NULL or <Py_ssize_t> value.length < size:
        return False
    for start in range(<Py_ssize_t> value.length - size + 1):
        for k in range(size):
            c = value.data[start + k]
            if 65 <= c <= 90:
                c += 32
            if c != word[k]:
                break
        else:
            return True
    return False


def select_class_id_words(LexborNode root, tuple words):
    """The elements that ``root.css("[class*=w1 i], [id*=w1 i], [class*=w2 i], ...")``
    lists for ``words`` (lowercase ASCII ``bytes``), ``root`` included, in document order,
    each once (the selector engine lists an element once per selector it matches)."""
    cdef const unsigned char* text[_MAX_TAGS]
    cdef Py_ssize_t sizes[_MAX_TAGS]
    cdef Py_ssize_t count = len(words), i
    cdef lxb_dom_node_t* top = root.node
    cdef lxb_dom_node_t* node = top
    cdef _Element* element
    cdef bytes word
    if count > _MAX_TAGS:
        raise ValueError(f"at most {_MAX_TAGS} words")
    for i in range(count):
        word = words[i]
        if not word or word != word.lower() or not word.isascii():
            raise ValueError(f"not a lowercase ASCII word: {word!r}")
        text[i] = word
        sizes[i] = len(word)
    found = []
    while node != NULL:
        if node.type == _ELEMENT:
            element = <_Element*> node
            if element.attr_class != NULL or element.attr_id != NULL:
                for i in range(count):
                    if (element.attr_class != NULL
                            and _holds(element.attr_class.value, text[i], sizes[i])) or (
                            element.attr_id != NULL
                            and _holds(element.attr_id.value, text[i], sizes[i])):
                        found.append(LexborNode.new(node, root.parser))
                        break
        node = _following(node, top)
    return found


cdef inline bint _has_token(const lexbor_str_t* value, const char* token, size_t size,
                            bint quirks) noexcept:
    """Whether the white-space-separated ``value`` holds ``token`` (a class selector's
    test: ASCII case aside in quirks mode)."""
    cdef size_t start = 0, end, k
    cdef lxb_char_t a, b
    if value == NULL or value.data == NULL:
        return False
    while start < value.length:
        while start < value.length and value.data[start] in b" \t\n\f\r":
            start += 1
        end = start
        while end < value.length and value.data[end] not in b" \t\n\f\r":
            end += 1
        if end - start == size:
            for k in range(size):
                a = value.data[start + k]
                b = <lxb_char_t> token[k]
                if quirks:
                    if 65 <= a <= 90:
                        a += 32
                    if 65 <= b <= 90:
                        b += 32
                if a != b:
                    break
            else:
                return True
        start = end
    return False


cdef inline bint _contains(const lexbor_str_t* value, const char* part, size_t size) noexcept:
    if value == NULL or value.data == NULL or value.length < size or size == 0:
        return False
    return memmem(value.data, value.length, part, size) != NULL


def select_structural(LexborNode root, tuple tag_ids):
    """The elements that ``root.css("T1, T2, ..., [role], [aria-hidden=true], [hidden],
    .hidden, [style*=display]")`` lists for the tags ``tag_ids`` (lexbor tag ids),
    ``root`` included, in document order, each once."""
    cdef size_t ids[_MAX_TAGS]
    cdef Py_ssize_t count = len(tag_ids), i
    cdef lxb_dom_node_t* top = root.node
    cdef lxb_dom_node_t* node = top
    cdef _Element* element
    cdef _Attr* attr
    cdef bint quirks, hit
    if count > _MAX_TAGS:
        raise ValueError(f"at most {_MAX_TAGS} tags")
    for i in range(count):
        ids[i] = tag_ids[i]
    found = []
    while node != NULL:
        if node.type == _ELEMENT:
            hit = False
            for i in range(count):
                if node.local_name == ids[i]:
                    hit = True
                    break
            element = <_Element*> node
            if not hit and element.first_attr != NULL:
                quirks = (<_Document*> node.owner_document).compat_mode == _QUIRKS
                hit = _named(element, "role", 4) != NULL or _named(
                    element, "hidden", 6) != NULL
                if not hit:
                    attr = _named(element, "aria-hidden", 11)
                    hit = (attr != NULL and attr.value != NULL and attr.value.length == 4
                           and memcmp(attr.value.data, b"true", 4) == 0)
                if not hit and element.attr_class != NULL:
                    hit = _has_token(element.attr_class.value, "hidden", 6, quirks)
                if not hit:
                    attr = element.first_attr
                    while attr != NULL:
                        if attr.node.local_name == _ATTR_STYLE:
                            hit = _contains(attr.value, "display", 7)
                            break
                        attr = attr.next
            if hit:
                found.append(LexborNode.new(node, root.parser))
        node = _following(node, top)
    return found


cdef inline bint _has_static(_Element* element, size_t attr_id) noexcept:
    cdef _Attr* attr = element.first_attr
    while attr != NULL:
        if attr.node.local_name == attr_id:
            return True
        attr = attr.next
    return False


def select_head(LexborNode root):
    """The elements that ``root.css("meta, script[type], script[src], link[rel], title,
    base[href], [itemprop]")`` lists, ``root`` included, in document order, each once."""
    cdef lxb_dom_node_t* top = root.node
    cdef lxb_dom_node_t* node = top
    cdef _Element* element
    cdef size_t tag
    cdef bint hit
    found = []
    while node != NULL:
        if node.type == _ELEMENT:
            tag = node.local_name
            element = <_Element*> node
            if tag == _TAG_META or tag == _TAG_TITLE:
                hit = True
            elif element.first_attr == NULL:
                hit = False
            elif tag == _TAG_SCRIPT:
                hit = _has_static(element, _ATTR_TYPE) or _has_static(element, _ATTR_SRC)
            elif tag == _TAG_LINK:
                hit = _has_static(element, _ATTR_REL)
            elif tag == _TAG_BASE:
                hit = _has_static(element, _ATTR_HREF)
            else:
                hit = False
            if not hit and element.first_attr != NULL:
                hit = _named(element, "itemprop", 8) != NULL
            if hit:
                found.append(LexborNode.new(node, root.parser))
        node = _following(node, top)
    return found


# -- compound selectors -------------------------------------------------------------------
# A selector list whose selectors are compound selectors, or compound selectors joined by
# descendant combinators ("a b"), without pseudo-classes, compiled by
# scraper.extract._walk.Compounds into one tuple per selector, its compounds from left to
# right, each compound a tuple
#   (tag id or 0, id or None, (class, ...), ((name, op, value or None, flags), ...))
# ops: 0 [a], 1 [a=v], 2 [a~=v], 3 [a|=v], 4 [a^=v], 5 [a$=v], 6 [a*=v];
# flags: 1 the "i" modifier, 2 the "s" modifier, 4 a name HTML compares without case.
# (0, None, (), ()) is ``*``.

cdef enum:
    _MAX_SELECTORS = 48
    _MAX_COMPOUNDS = 96
    _MAX_PARTS = 8
    _MAX_TOKENS = 32

cdef struct _AttrTest:
    const char* name
    size_t name_size
    int op
    const lxb_char_t* value
    size_t value_size
    int flags

cdef struct _Compound:
    size_t tag
    const char* ident
    size_t ident_size
    const char* classes[_MAX_PARTS]
    size_t class_sizes[_MAX_PARTS]
    int n_classes
    unsigned long long class_bits  # (_class_bit of each class, or-ed)
    _AttrTest attrs[_MAX_PARTS]
    int n_attrs


cdef inline bint _same(const lxb_char_t* a, const lxb_char_t* b, size_t size,
                       bint fold) noexcept:
    cdef size_t k
    cdef lxb_char_t x, y
    if not fold:
        return memcmp(a, b, size) == 0
    for k in range(size):
        x = a[k]
        y = b[k]
        if 65 <= x <= 90:
            x += 32
        if 65 <= y <= 90:
            y += 32
        if x != y:
            return False
    return True


cdef inline _Attr* _named(_Element* element, const char* name, size_t size) noexcept:
    """The element's first attribute called ``name``, fixed or not, or NULL."""
    cdef _Attr* attr = element.first_attr
    cdef const _AttrData* data
    while attr != NULL:
        if attr.node.local_name < _ATTR_LAST:
            data = &lxb_dom_attr_res_data_default[attr.node.local_name]
        elif attr.node.local_name > _ATTR_LAST:
            data = <const _AttrData*> attr.node.local_name
        else:
            data = NULL
        if (data != NULL and data.entry.length == size
                and memcmp(lexbor_hash_entry_str(&data.entry), name, size) == 0):
            return attr
        attr = attr.next
    return NULL


cdef bint _attr_test(lxb_dom_node_t* node, _Element* element, _AttrTest* test) noexcept:
    """What lexbor's attribute selector matching answers."""
    cdef _Attr* attr = _named(element, test.name, test.name_size)
    cdef const lxb_char_t* trg
    cdef size_t size, want = test.value_size
    cdef bint fold
    if attr == NULL:
        return False
    if test.op == 0:
        return True
    if attr.value != NULL and attr.value.data != NULL:
        trg = attr.value.data
        size = attr.value.length
    else:
        trg = <const lxb_char_t*> b""
        size = 0
    if test.flags & 1:
        fold = True
    elif test.flags & 2:
        fold = False
    else:
        fold = ((test.flags & 4) != 0 and node.ns == _NS_HTML
                and (<_Document*> node.owner_document).type == _DTYPE_HTML)
    if test.op == 1:
        return size == want and _same(trg, test.value, want, fold)
    if test.op == 2:
        return _has_token(attr.value, <const char*> test.value, want, fold)
    if test.op == 3:
        if size == want:
            return _same(trg, test.value, want, fold)
        return size > want and _same(trg, test.value, want, fold) and trg[want] == 0x2D
    if want == 0 or size < want:
        return False
    if test.op == 4:
        return _same(trg, test.value, want, fold)
    if test.op == 5:
        return _same(trg + size - want, test.value, want, fold)
    if test.op == 6:
        if not fold:
            return memmem(trg, size, test.value, want) != NULL
        for size in range(size - want + 1):
            if _same(trg + size, test.value, want, True):
                return True
    return False


# An element's class value cut into its white-space-separated tokens, once for all the
# selectors of a list, when a class selector first asks (``count`` -2: not cut yet; -1: too
# many tokens, scan the value instead).
cdef struct _Tokens:
    const lxb_char_t* data
    size_t start[_MAX_TOKENS]
    size_t size[_MAX_TOKENS]
    int count
    unsigned long long bits  # (the tokens' _class_bit, or-ed; all bits when count is -1)


cdef inline lxb_char_t _lower(lxb_char_t c) noexcept:
    return c + 32 if 65 <= c <= 90 else c


cdef inline unsigned long long _class_bit(const lxb_char_t* token, size_t size) noexcept:
    """One of 64 bits for a class token, from its length and its first and last letters,
    ASCII case aside: an element whose tokens' bits lack a class's bit cannot hold it."""
    return 1ULL << ((size * 7 + _lower(token[0]) * 13 + _lower(token[size - 1]) * 31) & 63)


cdef inline void _tokenise(const lexbor_str_t* value, _Tokens* out) noexcept:
    cdef size_t at = 0, end
    out.count = 0
    out.bits = 0
    if value == NULL or value.data == NULL:
        return
    out.data = value.data
    while at < value.length:
        while at < value.length and value.data[at] in b" \t\n\f\r":
            at += 1
        if at == value.length:
            return
        end = at
        while end < value.length and value.data[end] not in b" \t\n\f\r":
            end += 1
        if out.count == _MAX_TOKENS:
            out.count = -1
            out.bits = ~0ULL
            return
        out.start[out.count] = at
        out.size[out.count] = end - at
        out.bits |= _class_bit(value.data + at, end - at)
        out.count += 1
        at = end


cdef inline bint _compound_matches(lxb_dom_node_t* node, _Compound* sel, bint quirks,
                                   _Tokens* tokens) noexcept:
    """Whether the element ``node`` matches the compound ``sel``; ``tokens``: its class
    tokens, or NULL (then its class value is scanned)."""
    cdef _Element* element = <_Element*> node
    cdef int k, t
    cdef bint found
    cdef const lexbor_str_t* value
    if sel.tag != 0 and node.local_name != sel.tag:
        return False
    if sel.ident != NULL:
        if element.attr_id == NULL:
            return False
        value = element.attr_id.value
        if value == NULL or value.data == NULL or value.length != sel.ident_size:
            return False
        if not _same(value.data, <const lxb_char_t*> sel.ident, sel.ident_size, quirks):
            return False
    if sel.n_classes:
        if element.attr_class == NULL:
            return False
        if tokens != NULL:
            if tokens.count == -2:
                _tokenise(element.attr_class.value, tokens)
            if (tokens.bits & sel.class_bits) != sel.class_bits:
                return False
        for k in range(sel.n_classes):
            if tokens == NULL or tokens.count < 0:
                if not _has_token(element.attr_class.value, sel.classes[k],
                                  sel.class_sizes[k], quirks):
                    return False
                continue
            found = False
            for t in range(tokens.count):
                if tokens.size[t] == sel.class_sizes[k] and _same(
                        tokens.data + tokens.start[t], <const lxb_char_t*> sel.classes[k],
                        sel.class_sizes[k], quirks):
                    found = True
                    break
            if not found:
                return False
    for k in range(sel.n_attrs):
        if not _attr_test(node, element, &sel.attrs[k]):
            return False
    return True


cdef inline bint _chain_matches(lxb_dom_node_t* node, _Compound* comps, int first,
                                int last, bint quirks, _Tokens* tokens) noexcept:
    """Whether ``node`` matches the selector ``comps[first..last]`` (compounds joined by
    descendant combinators). Each compound takes the nearest ancestor that matches it: with
    descendant combinators alone, a match exists exactly when that greedy one is found.
    Ancestors are searched up to the document, beyond the search's root, as lexbor does."""
    cdef int k = last - 1
    if not _compound_matches(node, &comps[last], quirks, tokens):
        return False
    node = node.parent
    while k >= first:
        while node != NULL and not (
                node.type == _ELEMENT and _compound_matches(node, &comps[k], quirks, NULL)):
            node = node.parent
        if node == NULL:
            return False
        k -= 1
        node = node.parent
    return True


cdef struct _List:
    _Compound comps[_MAX_COMPOUNDS]
    int first[_MAX_SELECTORS]
    int last[_MAX_SELECTORS]
    int count


cdef int _load(tuple selectors, _List* out) except -1:
    """``out`` filled from the compiled ``selectors`` (pointers into their bytes: they must
    outlive ``out``)."""
    cdef Py_ssize_t i, j, k, at = 0
    cdef tuple chain, spec, classes, attrs, test
    cdef _Compound* comp
    if len(selectors) > _MAX_SELECTORS:
        raise ValueError(f"at most {_MAX_SELECTORS} selectors")
    out.count = len(selectors)
    for i in range(out.count):
        chain = selectors[i]
        if not chain or at + len(chain) > _MAX_COMPOUNDS:
            raise ValueError(f"empty selector or more than {_MAX_COMPOUNDS} compounds")
        out.first[i] = at
        for k in range(len(chain)):
            spec = chain[k]
            comp = &out.comps[at]
            at += 1
            comp.tag = spec[0]
            if spec[1] is None:
                comp.ident = NULL
                comp.ident_size = 0
            else:
                comp.ident = <bytes> spec[1]
                comp.ident_size = len(<bytes> spec[1])
            classes = spec[2]
            attrs = spec[3]
            if len(classes) > _MAX_PARTS or len(attrs) > _MAX_PARTS:
                raise ValueError("too many parts in one selector")
            comp.n_classes = len(classes)
            comp.class_bits = 0
            for j in range(len(classes)):
                comp.classes[j] = <bytes> classes[j]
                comp.class_sizes[j] = len(<bytes> classes[j])
                if comp.class_sizes[j] == 0:
                    raise ValueError("an empty class name")
                comp.class_bits |= _class_bit(
                    <const lxb_char_t*> comp.classes[j], comp.class_sizes[j])
            comp.n_attrs = len(attrs)
            for j in range(len(attrs)):
                test = attrs[j]
                comp.attrs[j].name = <bytes> test[0]
                comp.attrs[j].name_size = len(<bytes> test[0])
                comp.attrs[j].op = test[1]
                if test[2] is None:
                    comp.attrs[j].value = NULL
                    comp.attrs[j].value_size = 0
                else:
                    comp.attrs[j].value = <const lxb_char_t*> (<bytes> test[2])
                    comp.attrs[j].value_size = len(<bytes> test[2])
                comp.attrs[j].flags = test[3]
        out.last[i] = at - 1
    return 0


def select_compounds(LexborNode root, tuple selectors, bint first=False):
    """``root.css(list)`` (``first``: ``root.css_first(list)``, as a list of at most one)
    for a selector list compiled as above: the elements in document order, each listed once
    per selector it matches, as lexbor lists them."""
    cdef _List sels
    cdef Py_ssize_t i
    cdef lxb_dom_node_t* top = root.node
    cdef lxb_dom_node_t* node = top
    cdef bint quirks
    cdef int hits
    cdef _Tokens tokens
    _load(selectors, &sels)
    quirks = (<_Document*> top.owner_document).compat_mode == _QUIRKS
    found = []
    while node != NULL:
        if node.type == _ELEMENT:
            hits = 0
            tokens.count = -2
            for i in range(sels.count):
                if _chain_matches(node, sels.comps, sels.first[i], sels.last[i], quirks,
                                  &tokens):
                    hits += 1
            if hits:
                element_node = LexborNode.new(node, root.parser)
                if first:
                    return [element_node]
                for i in range(hits):
                    found.append(element_node)
        node = _following(node, top)
    return found


cdef inline Py_ssize_t _decode(const lxb_char_t* data, Py_ssize_t at, Py_ssize_t size,
                               unsigned int* out) noexcept:
    """The code point starting at ``data[at]`` into ``out``; its length in bytes."""
    cdef lxb_char_t lead = data[at]
    cdef Py_ssize_t length, k
    cdef unsigned int cp  # (not Py_UCS4: Cython makes that a str in arithmetic)
    if lead < 0x80:
        out[0] = lead
        return 1
    if lead >= 0xF0:
        length = 4
        cp = lead & 0x07
    elif lead >= 0xE0:
        length = 3
        cp = lead & 0x0F
    elif lead >= 0xC0:
        length = 2
        cp = lead & 0x1F
    else:
        out[0] = lead  # (a stray continuation byte: no space)
        return 1
    if at + length > size:
        out[0] = lead
        return 1
    for k in range(1, length):
        cp = (cp << 6) | (data[at + k] & 0x3F)
    out[0] = cp
    return length


cdef struct _Piece:
    const lxb_char_t* data
    Py_ssize_t size


cdef struct _Measure:
    Py_ssize_t length  # code points, less the white space str.strip() removes
    Py_ssize_t commas  # "," and the Arabic comma
    bint sentence  # one of . ! ? 。 , ; :


cdef inline Py_ssize_t _count(const lxb_char_t* data, Py_ssize_t size, int byte) noexcept:
    cdef Py_ssize_t found = 0
    cdef const lxb_char_t* at = <const lxb_char_t*> memchr(data, byte, size)
    while at != NULL:
        found += 1
        at += 1
        at = <const lxb_char_t*> memchr(at, byte, size - (at - data))
    return found


cdef inline bint _has_sequence(const lxb_char_t* data, Py_ssize_t size, int lead,
                               int second, int third) noexcept:
    """Whether ``data`` holds the bytes ``lead second`` (``lead second third`` when
    ``third`` is not -1)."""
    cdef const lxb_char_t* at = <const lxb_char_t*> memchr(data, lead, size)
    cdef Py_ssize_t rest
    while at != NULL:
        rest = size - (at - data)
        if rest >= 2 and at[1] == second and (third < 0 or (rest >= 3 and at[2] == third)):
            return True
        at = <const lxb_char_t*> memchr(at + 1, lead, rest - 1)
    return False


cdef inline void _punctuation(const lxb_char_t* data, Py_ssize_t size, _Measure* out) noexcept:
    """Add the commas of one text node to ``out``; note sentence punctuation."""
    cdef Py_ssize_t commas = _count(data, size, 0x2C)  # ,
    out.commas += commas
    if memchr(data, 0xD8, size) != NULL:  # (the lead byte of U+060C, ARABIC COMMA)
        out.commas += _arabic_commas(data, size)
    if out.sentence or commas:
        out.sentence = True
        return
    out.sentence = (memchr(data, 0x2E, size) != NULL or memchr(data, 0x21, size) != NULL
                    or memchr(data, 0x3F, size) != NULL or memchr(data, 0x3B, size) != NULL
                    or memchr(data, 0x3A, size) != NULL
                    or _has_sequence(data, size, 0xE3, 0x80, 0x82))  # . ! ? ; : U+3002


cdef inline Py_ssize_t _arabic_commas(const lxb_char_t* data, Py_ssize_t size) noexcept:
    cdef Py_ssize_t found = 0, at
    for at in range(size - 1):
        if data[at] == 0xD8 and data[at + 1] == 0x8C:
            found += 1
    return found


cdef int _measure(lxb_dom_node_t* top, bint deep, bint stats, _Measure* out) except -1:
    """Measure the text ``node.text(deep=deep)`` would give for ``top`` (its commas and
    sentence punctuation too when ``stats``)."""
    cdef lxb_dom_node_t* current
    cdef _Piece* pieces = NULL
    cdef _Piece* grown
    cdef Py_ssize_t used = 0, room = 0, total = 0, i, at, step, lead_ws = 0, trail_ws = 0, size
    cdef lexbor_str_t* text
    cdef const lxb_char_t* data
    cdef unsigned int cp
    cdef bint done
    out.length = 0
    out.commas = 0
    out.sentence = False
    current = top if top.type == _TEXT else top.first_child
    try:
        while current != NULL:
            if current.type == _TEXT:
                text = &(<lxb_dom_character_data_t*> current).data
                if text.data != NULL and text.length > 0:
                    if used == room:
                        room = room * 2 + 16
                        grown = <_Piece*> realloc(pieces, room * sizeof(_Piece))
                        if grown == NULL:
                            raise MemoryError()
                        pieces = grown
                    data = text.data
                    size = text.length
                    pieces[used].data = data
                    pieces[used].size = size
                    used += 1
                    for at in range(size):  # (a loop the compiler vectorises)
                        total += (data[at] & 0xC0) != 0x80
                    if stats:
                        _punctuation(data, size, out)
            if current == top:
                break
            if deep:
                current = _following(current, top)
            else:
                current = current.next
        # leading white space, across pieces
        done = False
        for i in range(used):
            at = 0
            while at < pieces[i].size:
                step = _decode(pieces[i].data, at, pieces[i].size, &cp)
                if not Py_UNICODE_ISSPACE(<Py_UCS4> cp):
                    done = True
                    break
                lead_ws += 1
                at += step
            if done:
                break
        if not done:
            return 0  # nothing but white space
        # trailing white space, backwards
        done = False
        i = used - 1
        while i >= 0 and not done:
            at = pieces[i].size
            while at > 0:
                step = at - 1
                while step > 0 and (pieces[i].data[step] & 0xC0) == 0x80:
                    step -= 1
                _decode(pieces[i].data, step, pieces[i].size, &cp)
                if not Py_UNICODE_ISSPACE(<Py_UCS4> cp):
                    done = True
                    break
                trail_ws += 1
                at = step
            i -= 1
        out.length = total - lead_ws - trail_ws
        return 0
    finally:
        free(pieces)


def text_length(LexborNode node, bint deep=True):
    """``len(node.text(deep=deep).strip())``: the code points of the text below ``node``
    (of ``node`` itself when it is a text node), less the leading and trailing white
    space that ``str.strip`` removes."""
    cdef _Measure measure
    _measure(node.node, deep, False, &measure)
    return measure.length


def text_stats(LexborNode node):
    """For ``text = node.text(deep=True)``: ``len(text.strip())``, the number of commas
    (``text.count(",") + text.count("\u060c")``) and whether ``text`` holds one of
    ``.!?\u3002,;:``."""
    cdef _Measure measure
    _measure(node.node, True, True, &measure)
    return measure.length, measure.commas, bool(measure.sentence)
