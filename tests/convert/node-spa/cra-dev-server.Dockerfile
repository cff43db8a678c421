FROM node:18

WORKDIR /app
ENV PATH /app/node_modules/.bin:$PATH

COPY package.json package-lock.json ./
RUN npm install --silent
RUN npm install react-scripts@5.0.1 -g --silent

COPY . ./
ENV REACT_APP_API_URL=http://localhost:8000

CMD ["npm", "start"]
