export const DEFAULT_PER_PAGE = 25;
export const MAX_PER_PAGE = 100;

export interface PageRequest {
  page: number;
  perPage: number;
}

export interface PageMeta {
  current_page: number;
  per_page: number;
  total_pages: number;
  total_count: number;
}

export interface Page<T> {
  data: T[];
  meta: PageMeta;
}

export function pageMeta(request: PageRequest, totalCount: number): PageMeta {
  return {
    current_page: request.page,
    per_page: request.perPage,
    total_pages: Math.ceil(totalCount / request.perPage),
    total_count: totalCount,
  };
}
