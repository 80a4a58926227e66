export { echoHandler, menu } from './echo.ts';
