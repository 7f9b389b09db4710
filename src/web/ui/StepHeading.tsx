import { Title, type TitleOrder } from '@mantine/core';
import { type ReactNode, useEffect, useRef } from 'react';

/**
 * The heading of one step of a flow (the landing page, the Data Tools wizard). It takes the focus
 * when it appears, so a keyboard or screen-reader user lands on the new step instead of on the
 * page's top (the button that led here is gone); `focus={false}` for the first step of a page.
 */
export function StepHeading({
  children,
  order = 2,
  focus = true,
}: {
  readonly children: ReactNode;
  readonly order?: TitleOrder;
  readonly focus?: boolean;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  return (
    <Title ref={ref} order={order} size="h4" tabIndex={-1} data-step-heading>
      {children}
    </Title>
  );
}
