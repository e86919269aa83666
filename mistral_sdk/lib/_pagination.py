"""Pages of list operations that also iterate over every item, fetching further pages lazily.

``SyncPage`` holds one response of a page-numbered list operation (``page``/``page_size`` query
parameters) and keeps all of that response's fields (``page.total``, ``page.object_``... through
attribute access, or ``.page`` for the typed model). Iterating it yields every item of every page,
fetching the next page only when the current one is used up. ``AsyncPaginator`` is the async form:
``await`` it for the first ``AsyncPage``, or ``async for`` over it directly for every item.

Whether another page exists is decided by one pure function, ``has_more``, from what the API says:
a ``pagination.has_more`` flag (libraries' documents) or ``pagination.total_pages``; else a ``total``
count against the items seen; else "the page was full" (as many items as ``page_size``).

The facade generator makes every list operation with a ``page``/``page_size`` query and a ``data``
array return these (``generator/facade/hooks.py``): ``client.files.list(...)`` is a ``SyncPage``, the
async one an ``AsyncPaginator`` from a plain ``def``; ``mistral_sdk._resource`` builds them with a
``fetch(number)`` that repeats the call's other arguments. ``items_of``/``has_more`` read the spec's
common shapes; another shape passes ``items=lambda page: page.<field>``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import Any, Generic, TypeVar

__all__ = ["AsyncPage", "AsyncPaginator", "SyncPage", "has_more", "items_of"]

T = TypeVar("T")


def _field(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(name)
    value = getattr(obj, name, None)
    return value if value is not None and type(value).__name__ != "Unset" else None


def items_of(page: Any) -> list[Any]:
    """The page's items: its ``data`` array (or the page itself when the API answers with a bare list)."""
    if isinstance(page, list):
        return page
    data = _field(page, "data")
    if not isinstance(data, list):
        raise TypeError(f"{type(page).__name__} has no 'data' list to paginate over; pass items=")
    return data


def has_more(page: Any, *, number: int, seen: int, count: int, page_size: int | None) -> bool:
    """Whether a page after ``page`` (number ``number``, ``count`` items, ``seen`` items so far) exists."""
    if count == 0:
        return False
    pagination = _field(page, "pagination")
    if pagination is not None:
        flag = _field(pagination, "has_more")
        if isinstance(flag, bool):
            return flag
        pages = _field(pagination, "total_pages")
        if isinstance(pages, int):
            current = _field(pagination, "current_page")
            return (current if isinstance(current, int) else number) + 1 < pages
    total = _field(page, "total")
    if isinstance(total, int):
        return seen < total
    return page_size is None or count >= page_size


class _PageBase(Generic[T]):
    def __init__(
        self,
        page: Any,
        *,
        number: int,
        page_size: int | None,
        seen_before: int = 0,
        items: Callable[[Any], list[T]] = items_of,
    ) -> None:
        self.page = page
        self.number = number
        self.page_size = page_size
        self._items_of = items
        self.items: list[T] = items(page)
        self._seen = seen_before + len(self.items)

    def has_next_page(self) -> bool:
        return has_more(self.page, number=self.number, seen=self._seen, count=len(self.items), page_size=self.page_size)

    def __getattr__(self, name: str) -> Any:
        # the page's own fields (total, object_, pagination...) read through the page object
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.page, name)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(number={self.number}, items={len(self.items)}, page={type(self.page).__name__})"


class SyncPage(_PageBase[T]):
    """One page (``items``, ``page`` and its fields) that iterates over every item of every page."""

    def __init__(
        self,
        page: Any,
        fetch: Callable[[int], Any],
        *,
        number: int = 0,
        page_size: int | None = None,
        seen_before: int = 0,
        items: Callable[[Any], list[T]] = items_of,
    ) -> None:
        super().__init__(page, number=number, page_size=page_size, seen_before=seen_before, items=items)
        self._fetch = fetch

    def next_page(self) -> SyncPage[T]:
        if not self.has_next_page():
            raise StopIteration("this is the last page")
        number = self.number + 1
        return SyncPage(
            self._fetch(number),
            self._fetch,
            number=number,
            page_size=self.page_size,
            seen_before=self._seen,
            items=self._items_of,
        )

    def iter_pages(self) -> Iterator[SyncPage[T]]:
        """This page and every following one, each fetched when reached."""
        page = self
        yield page
        while page.has_next_page():
            page = page.next_page()
            yield page

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.items


class AsyncPage(_PageBase[T]):
    """The async ``SyncPage``: ``async for`` over every item; ``await next_page()``."""

    def __init__(
        self,
        page: Any,
        fetch: Callable[[int], Awaitable[Any]],
        *,
        number: int = 0,
        page_size: int | None = None,
        seen_before: int = 0,
        items: Callable[[Any], list[T]] = items_of,
    ) -> None:
        super().__init__(page, number=number, page_size=page_size, seen_before=seen_before, items=items)
        self._fetch = fetch

    async def next_page(self) -> AsyncPage[T]:
        if not self.has_next_page():
            raise StopAsyncIteration("this is the last page")
        number = self.number + 1
        return AsyncPage(
            await self._fetch(number),
            self._fetch,
            number=number,
            page_size=self.page_size,
            seen_before=self._seen,
            items=self._items_of,
        )

    async def iter_pages(self) -> AsyncIterator[AsyncPage[T]]:
        page = self
        yield page
        while page.has_next_page():
            page = await page.next_page()
            yield page

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item


class AsyncPaginator(Generic[T]):
    """An async list call: ``await`` it for the first ``AsyncPage``, or ``async for`` over every item."""

    def __init__(
        self,
        fetch: Callable[[int], Awaitable[Any]],
        *,
        number: int = 0,
        page_size: int | None = None,
        items: Callable[[Any], list[T]] = items_of,
    ) -> None:
        self._fetch = fetch
        self._number = number
        self._page_size = page_size
        self._items = items

    async def _first(self) -> AsyncPage[T]:
        page = await self._fetch(self._number)
        return AsyncPage(page, self._fetch, number=self._number, page_size=self._page_size, items=self._items)

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        return self._first().__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        first = await self._first()
        async for item in first:
            yield item
